"""Queue notifications. They say what kind of event happened, never any medical content.

Call `notify(user, "event_code", link="/path")` from any area; the outbox sender
(issue on notifications) delivers later, so a request never waits for mail.
"""

from webapp.models.notifications import Outbox

# Events whose notification the citizen cannot switch off.
MANDATORY = {"professional_access", "mediator_access", "emergency_access", "mandate_created",
             "assisted_session"}


def notify(recipient, event, link="", channel="email"):
    """Queue one notification; returns the outbox row (or None when the user opted out)."""
    if recipient is None:
        return None
    return Outbox.create(recipient=recipient, template=event, link=link, channel=channel)
