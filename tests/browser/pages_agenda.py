"""Pages of the agenda and the notification settings, as the demo users see them."""

CAMILLE = "camille.martin@example.org"


def _entry(title):
    from webapp.models.agenda import Appointment

    return Appointment.get(Appointment.title == title).id


def own_entry():
    return f"/agenda/{_entry('Contrôle chez le dentiste')}"


def professional_entry():
    return f"/agenda/{_entry('Consultation de suivi')}"


def edit_entry():
    return f"/agenda/{_entry('Contrôle chez le dentiste')}/modifier"


def delete_entry():
    return f"/agenda/{_entry('Séance de kinésithérapie')}/supprimer"


def show_leo(page, base_url):
    """Switch to Léo's space with the profile switcher."""
    page.goto(base_url + "/")
    page.select_option("#space-switch", label="Léo MARTIN")
    with page.expect_navigation():
        page.click("form.switcher button[type=submit]")


PAGES = [
    (CAMILLE, "/agenda"),
    (CAMILLE, "/agenda/nouveau"),
    (CAMILLE, own_entry),
    (CAMILLE, professional_entry),
    (CAMILLE, edit_entry),
    (CAMILLE, delete_entry),
    (CAMILLE, "/agenda/prevention"),
    (CAMILLE, "/agenda/prevention", show_leo),
    (CAMILLE, "/agenda", show_leo),
    (CAMILLE, "/parametres/notifications"),
    (CAMILLE, "/parametres/calendrier"),
    (CAMILLE, "/notifications"),
]
