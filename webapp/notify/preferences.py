"""A person's choices of notifications, per event and channel (mandatory ones stay on)."""

from webapp.audit import Action
from webapp.db import transaction
from webapp.models.notifications import NotificationPreference
from webapp.notify.events import CHANNELS, OPTIONAL


def wants(user, event, channel):
    """True when this person receives this event on this channel (mandatory ones always)."""
    return channel in wanted(user, event, [channel])


def wanted(user, event, channels):
    """The channels, of these, on which this person receives this event: one query for
    all of them (a notice to a citizen goes by e-mail and in the app)."""
    if event not in OPTIONAL or not channels:
        return list(channels)
    off = {pref.channel for pref in NotificationPreference.select(
        NotificationPreference.channel).where(
        (NotificationPreference.user == user) & (NotificationPreference.event == event)
        & NotificationPreference.channel.in_(list(channels))
        & ~NotificationPreference.enabled)}
    return [channel for channel in channels if channel not in off]


def set_preference(user, event, channel, enabled):
    """Record a choice; mandatory events stay on whatever is asked."""
    if event not in OPTIONAL or channel not in CHANNELS:
        return
    pref, _ = NotificationPreference.get_or_create(user=user, event=event, channel=channel)
    if pref.enabled != enabled:
        pref.enabled = enabled
        pref.save()


def save(access, user, chosen):
    """Record at once every choice of the settings page ("event:channel" strings on)."""
    with transaction():
        for event in OPTIONAL:
            for channel in CHANNELS:
                set_preference(user, event, channel, f"{event}:{channel}" in chosen)
        access.log(Action.SETTINGS_WRITE, user, "notifications")


def choices(user):
    """{(event, channel): on} of the optional events, in two queries at most."""
    saved = {(p.event, p.channel): p.enabled for p in NotificationPreference.select().where(
        NotificationPreference.user == user)}
    return {(e, c): saved.get((e, c), True) for e in OPTIONAL for c in CHANNELS}

