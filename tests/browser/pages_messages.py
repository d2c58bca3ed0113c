"""Pages of the secure messages, citizen's and professional's sides."""

CAMILLE = "camille.martin@example.org"
BERNARD = "dr.bernard@example.org"
CLOSED = "Renouvellement d'ordonnance"


def _at(path):
    from webapp.models.spaces import Space

    return f"/espaces/{Space.get(Space.first_name == 'Camille').ref}{path}"


def _conversation(subject):
    from webapp.models.messages import Conversation

    return Conversation.get(Conversation.subject == subject).id


def inbox():
    """Camille's messages."""
    return _at("/messages")


def unread_conversation():
    """A conversation with an unread message from Dr BERNARD."""
    return _at(f"/messages/{_conversation('Vos résultats')}")


def closed_conversation():
    """A conversation Dr BERNARD closed."""
    return _at(f"/messages/{_conversation(CLOSED)}")


def new_message():
    """Camille writes to a professional who wrote to her."""
    return _at("/messages/nouveau")


def pro_start():
    """Dr BERNARD writes to Camille: a new conversation."""
    return _at("/pro/messages/nouveau")


def pro_conversation():
    """Dr BERNARD's side of a conversation."""
    return _at(f"/pro/messages/{_conversation('Vos résultats')}")


def pro_closed_conversation():
    """Dr BERNARD's side of the conversation he closed."""
    return _at(f"/pro/messages/{_conversation(CLOSED)}")


PAGES = [
    (CAMILLE, inbox),
    (CAMILLE, unread_conversation),
    (CAMILLE, closed_conversation),
    (CAMILLE, new_message),
    (BERNARD, "/pro/messages"),
    (BERNARD, "/pro/messages/nouveau"),
    (BERNARD, pro_start),
    (BERNARD, pro_conversation),
    (BERNARD, pro_closed_conversation),
]
