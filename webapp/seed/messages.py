"""Demo messages: two conversations between Dr BERNARD and Camille, one unread, one
closed by him."""

import datetime as dt

from webapp.db import utcnow
from webapp.models.messages import Conversation, Message
from webapp.scopes import Capacity


def seed(ctx):
    """Create the conversations once."""
    camille, bernard, space = ctx.users["camille"], ctx.users["bernard"], ctx.spaces["camille"]
    now = utcnow()
    if not Conversation.select().where((Conversation.space == space)
                                       & (Conversation.professional == bernard)).exists():
        _closed(space, camille, bernard, now)
        _unread(space, bernard, now)


def _unread(space, bernard, now):
    sent = now - dt.timedelta(days=1, hours=3)
    c = Conversation.create(space=space, professional=bernard, subject="Vos résultats",
                            created_at=sent, last_message_at=sent)
    Message.create(conversation=c, author=bernard, author_capacity=Capacity.PROFESSIONAL,
                   created_at=sent, body="Bonjour Madame Martin,\nVos résultats sont "
                   "arrivés et sont dans vos documents. Pouvez-vous prendre rendez-vous "
                   "dans les prochaines semaines pour que nous en parlions ?\n"
                   "Bien cordialement,\nDr Paul Bernard")


def _closed(space, camille, bernard, now):
    first = now - dt.timedelta(days=20)
    c = Conversation.create(space=space, professional=bernard, created_at=first,
                            subject="Renouvellement d'ordonnance")
    Message.create(conversation=c, author=bernard, author_capacity=Capacity.PROFESSIONAL,
                   created_at=first, read_at=first + dt.timedelta(hours=2),
                   body="Bonjour,\nVotre ordonnance arrive à échéance à la fin du mois. "
                   "Souhaitez-vous que je la renouvelle ?\nDr Paul Bernard")
    reply = first + dt.timedelta(hours=3)
    Message.create(conversation=c, author=camille, author_capacity=Capacity.OWNER, created_at=reply,
                   read_at=reply + dt.timedelta(hours=1),
                   body="Bonjour Docteur,\nOui, merci beaucoup. Je passerai la chercher au "
                   "cabinet.\nCamille Martin")
    last = first + dt.timedelta(days=1)
    Message.create(conversation=c, author=bernard, author_capacity=Capacity.PROFESSIONAL,
                   created_at=last, read_at=last + dt.timedelta(hours=5),
                   body="L'ordonnance est prête à l'accueil du cabinet.\nDr Paul Bernard")
    c.last_message_at, c.closed_at = last, last + dt.timedelta(minutes=5)
    c.close_reason = ("Ordonnance renouvelée. Pour une nouvelle demande, merci de prendre "
                      "rendez-vous.")
    c.save()
