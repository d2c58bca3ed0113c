"""AuditEvent: the citizen's own access history (the `privacy` scope: only the holder's
side), each entry as the history page says it."""

from fhir.resources.R4B.auditevent import AuditEvent

from webapp.fhir.documents import instant
from webapp.fhir.search import date_filter
from webapp.models.audit import AccessLog
from webapp.privacy.history import describe, who

REST = {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"}
VERBS = {"add": "C", "edit": "U", "delete": "D", "write": "U", "read": "R", "view": "R"}


def _verb(action):
    tail = action.rsplit(".", 1)[-1]
    return VERBS.get(tail, "E")


def to_fhir(entry, ref):
    """The AuditEvent of an entry of the space's access log."""
    agent = {"requestor": True, "who": {"display": who(entry)}}
    if entry.office_name:
        agent["name"] = entry.office_name
    data = {
        "resourceType": "AuditEvent", "id": f"{ref}-{entry.id}", "type": REST,
        "subtype": [{"system": "urn:mon-espace-sante:fhir:access-action",
                     "code": entry.action}],
        "action": _verb(entry.action), "recorded": instant(entry.created_at),
        "outcome": "0" if entry.allowed else "4", "outcomeDesc": describe(entry),
        "agent": [agent],
        "source": {"observer": {"display": "Mon espace santé"}},
        "entity": [{"what": {"reference": f"Patient/{ref}"}}],
    }
    if entry.emergency:
        data["purposeOfEvent"] = [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
            "code": "ETREAT"}]}]
    return AuditEvent.model_validate(data)


def search(access, args):
    """The space's entries, the latest first, by `date`."""
    query = access.query(AccessLog)
    condition = date_filter(AccessLog.created_at, args.getlist("date"), moments=True)
    if condition is not None:
        query = query.where(condition)
    return query.order_by(AccessLog.created_at.desc(), AccessLog.id.desc())
