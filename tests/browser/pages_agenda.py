"""Pages of the agenda and the notification settings, as the demo users see them,
including Camille looking at her son Léo's space."""

CAMILLE = "camille.martin@example.org"


def _space(first_name):
    from webapp.models.spaces import Space

    return Space.get(Space.first_name == first_name)


def _at(first_name, path):
    return f"/espaces/{_space(first_name).ref}{path}"


def _entry(title):
    from webapp.models.agenda import Appointment

    return Appointment.get(Appointment.title == title).id


def agenda():
    """Camille's agenda."""
    return _at("Camille", "/agenda")


def add_entry():
    """The form of a new appointment."""
    return _at("Camille", "/agenda/nouveau")


def own_entry():
    """An appointment Camille added."""
    return _at("Camille", f"/agenda/{_entry('Contrôle chez le dentiste')}")


def professional_entry():
    """An appointment Dr BERNARD added (read-only)."""
    return _at("Camille", f"/agenda/{_entry('Consultation de suivi')}")


def edit_entry():
    """The edit form of Camille's appointment."""
    return _at("Camille", f"/agenda/{_entry('Contrôle chez le dentiste')}/modifier")


def delete_entry():
    """The deletion confirmation of Camille's appointment."""
    return _at("Camille", f"/agenda/{_entry('Séance de kinésithérapie')}/supprimer")


def prevention():
    """Camille's prevention calendar."""
    return _at("Camille", "/agenda/prevention")


def leo_prevention():
    """Léo's prevention calendar, seen by his mother."""
    return _at("Léo", "/agenda/prevention")


def leo_agenda():
    """Léo's agenda, seen by his mother."""
    return _at("Léo", "/agenda")


def notification_settings():
    """Camille's notification preferences."""
    return _at("Camille", "/parametres/notifications")


def calendar_feed():
    """Camille's private calendar feed."""
    return _at("Camille", "/parametres/calendrier")


PAGES = [
    (CAMILLE, agenda),
    (CAMILLE, add_entry),
    (CAMILLE, own_entry),
    (CAMILLE, professional_entry),
    (CAMILLE, edit_entry),
    (CAMILLE, delete_entry),
    (CAMILLE, prevention),
    (CAMILLE, leo_prevention),
    (CAMILLE, leo_agenda),
    (CAMILLE, notification_settings),
    (CAMILLE, calendar_feed),
    (CAMILLE, "/notifications"),
]
