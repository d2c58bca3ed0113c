"""Secure messages: a conversation's page runs the same few queries whatever its length."""

from tests.messages_support import (
    _at,
    add_message,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from webapp.models.messages import Conversation


def _count_queries(monkeypatch, client, url):
    """The SQL statements one GET runs."""
    from webapp.db import database

    statements = []
    real = database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return real(sql, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(database.obj, "execute_sql", counting)
        response = client.get(url)
    assert response.status_code == 200, url
    return statements


def test_conversation_page_runs_the_same_queries_whatever_its_length(
        client, world, monkeypatch):
    """Authors and attachments are loaded with the thread, not one query per message:
    3 messages or 60 (with attachments), the page runs the same few statements, on the
    first visit (the unread ones are marked read) and on the next."""
    owner, pro, space = world["owner"], world["pro"], world["space"]
    short = Conversation.create(space=space, professional=pro, subject="Court")
    long = Conversation.create(space=space, professional=pro, subject="Long")
    for conversation, n in ((short, 3), (long, 60)):
        for i in range(n):
            author, capacity = (pro, "professional") if i % 2 == 0 else (owner, "owner")
            add_message(conversation, author, capacity, f"Message {i}", files=1 + i % 2)
    pro_client = client.application.test_client()
    # a professional's page also checks the block and the care relation, the throttle
    # of the holder's daily access notice, and reads their place for the log entry
    for person, viewer, side, most in ((owner, client, "/messages", 12),
                                       (pro, pro_client, "/pro/messages", 14)):
        viewer.sign_in(person.email)
        viewer.get(_at(world, "/"))  # the day's first visit (the holder is told of a pro's)
        for visit in ("first", "next"):
            few, many = (_count_queries(monkeypatch, viewer, _at(world, f"{side}/{c.id}"))
                         for c in (short, long))
            assert len(few) == len(many) <= most, (side, visit, "\n".join(many))
