"""Citizens' reports of an app, read by the administrators."""

from webapp.db import transaction, utcnow
from webapp.models.smart import SmartClient, SmartReport


def report(access, client, reason):
    """Record a report of this client by the person of the access."""
    with transaction():
        row = SmartReport.create(client=client, user=access.actor, reason=reason.strip()[:2000])
        access.note(target=client, detail="report")
    return row


def open_reports():
    """Reports not handled yet, newest first, with their client."""
    return (SmartReport.select(SmartReport, SmartClient).join(SmartClient)
            .where(SmartReport.handled_at.is_null())
            .order_by(SmartReport.created_at.desc(), SmartReport.id.desc()))


def of_client(client):
    """Every report of a client, newest first."""
    return (SmartReport.select().where(SmartReport.client == client)
            .order_by(SmartReport.created_at.desc(), SmartReport.id.desc()))


def handled(report_row):
    """Mark a report as dealt with."""
    SmartReport.update(handled_at=utcnow()).where(SmartReport.id == report_row.id).execute()
