"""What the agenda's pages read through the access object: the person's live calendar feed."""

from webapp.models.agenda import CalendarFeed


def live_feed(access):
    """The feed of the person acting on this space that is not revoked, or None."""
    return (access.query(CalendarFeed)
            .where((CalendarFeed.user == access.actor) & CalendarFeed.revoked_at.is_null())
            .first())
