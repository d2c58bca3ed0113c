"""Helpers of the notification tests: the world they share (a holder, their space, a
professional in care) and the outbox rows queued for someone."""

import pytest

from tests.helpers import followed_patient
from webapp.models.notifications import Outbox


@pytest.fixture(name="world")
def world_fixture(db):
    """A holder's space and a professional in care."""
    return followed_patient()


def _rows(user, event=None, channel="email"):
    query = Outbox.select().where((Outbox.recipient == user) & (Outbox.channel == channel))
    return list(query.where(Outbox.template == event) if event else query)
