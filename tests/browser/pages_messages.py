"""Pages of the secure messages, citizen's and professional's sides."""

CAMILLE = "camille.martin@example.org"
BERNARD = "dr.bernard@example.org"
CLOSED = "Renouvellement d'ordonnance"


def _conversation(subject):
    from webapp.models.messages import Conversation

    return Conversation.get(Conversation.subject == subject).id


def unread_conversation():
    return f"/messages/{_conversation('Vos résultats')}"


def closed_conversation():
    return f"/messages/{_conversation(CLOSED)}"


def pro_conversation():
    return f"/pro/messages/{_conversation('Vos résultats')}"


def pro_closed_conversation():
    return f"/pro/messages/{_conversation(CLOSED)}"


PAGES = [
    (CAMILLE, "/messages"),
    (CAMILLE, unread_conversation),
    (CAMILLE, closed_conversation),
    (CAMILLE, "/messages/nouveau"),
    (BERNARD, "/pro/messages"),
    (BERNARD, "/pro/messages/nouveau"),
    (BERNARD, pro_conversation),
    (BERNARD, pro_closed_conversation),
]
