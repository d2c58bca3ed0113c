"""Queue notifications. They say what kind of event happened, never any medical content.

Call `notify(user, "event_code", link="/path")` from any area; the outbox sender
(issue on notifications) delivers later, so a request never waits for mail.
"""

import json

from webapp.models.notifications import Outbox

# Events whose notification the citizen cannot switch off.
MANDATORY = {"professional_access", "mediator_access", "emergency_access", "mandate_created",
             "assisted_session"}


def notify(recipient, event, link="", channel="email", **params):
    """Queue one notification; returns the outbox row (or None when the user opted out).

    params are plain values the text may show (a one-time code, an office name), never
    medical content.
    """
    if recipient is None:
        return None
    return Outbox.create(recipient=recipient, template=event, link=link, channel=channel,
                         params=json.dumps(params, default=str))
