"""Helpers of the notification tests: the world they share (a holder, their space, a
professional in care) and the outbox rows queued for someone."""

import pytest

from tests.helpers import make_space, make_user
from webapp.models.notifications import Outbox
from webapp.models.spaces import CareRelation


@pytest.fixture(name="world")
def world_fixture(db):
    """A holder's space and a professional in care."""
    owner = make_user()
    space = make_space(owner)
    pro = make_user("professional")
    CareRelation.create(professional=pro, space=space)
    return dict(owner=owner, space=space, pro=pro)


def _rows(user, event=None, channel="email"):
    query = Outbox.select().where((Outbox.recipient == user) & (Outbox.channel == channel))
    return list(query.where(Outbox.template == event) if event else query)
