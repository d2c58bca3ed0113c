"""Helpers of the secure-message tests: a message written in a conversation, the world
they share (a holder, their space, a professional in care who wrote first, outsiders),
and the addresses of the space's pages."""

import io

import pytest

from tests.helpers import PDF, followed_patient, make_user, space_path
from webapp import storage
from webapp.models.messages import Attachment, Conversation, Message


def add_message(conversation, author, capacity, body, files=0):
    """A message written in a conversation (with `files` stored attachments)."""
    message = Message.create(conversation=conversation, author=author,
                             author_capacity=capacity, body=body)
    for n in range(files):
        digest, size, mime = storage.store(io.BytesIO(PDF))
        Attachment.create(message=message, filename=f"piece-{n}.pdf", sha256=digest,
                          size=size, mime=mime)
    conversation.last_message_at = message.created_at
    conversation.save()
    return message


@pytest.fixture(name="world")
def world_fixture(db):
    """A holder's space, a professional in care who wrote first, and outsiders."""
    world = followed_patient()
    conversation = Conversation.create(space=world["space"], professional=world["pro"],
                                       subject="Vos résultats")
    add_message(conversation, world["pro"], "professional", "Bonjour, pouvez-vous me rappeler ?")
    return dict(world, conversation=conversation, other=make_user(),
                stranger_pro=make_user("professional"), mediator=make_user("mediator"))


def _at(world, path):
    return space_path(world["space"], path)


def _reply_url(world):
    return _at(world, f"/messages/{world['conversation'].id}/repondre")
