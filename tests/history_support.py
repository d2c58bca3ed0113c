"""Helpers of the access-history tests: a general practitioner, and the world they share
(a holder signed in on their space, whose log already holds a professional's download, a
mediator's reading under mandate, an app's reading and an emergency access)."""

import pytest

from tests.helpers import make_document, make_space, make_user, space_path
from webapp import audit
from webapp.audit import Action
from webapp.pro.professions import Profession, Specialty
from webapp.scopes import Capacity


def _pro(**fields):
    return make_user("professional", profession=Profession.MEDECIN,
                     specialty=Specialty.MEDECINE_GENERALE, **fields)


@pytest.fixture(name="world")
def world_fixture(db, client):
    """The holder signed in on a space whose log holds four readings by others."""
    owner = make_user()
    space = make_space(owner)
    pro = _pro(first_name="Paul", last_name="Bernard")
    mediator = make_user("mediator", first_name="Amina", last_name="Diallo")
    doc = make_document(space)
    audit.write(space, action=Action.DOCUMENTS_READ, capacity=Capacity.PROFESSIONAL, actor=pro,
                target=doc, detail="download")
    audit.write(space, action=Action.AGENDA_READ, capacity=Capacity.MEDIATOR, actor=mediator,
                office_name=mediator.office.name, mandate_ref="ABC123")
    audit.write(space, action=Action.PROFILE_READ, capacity=Capacity.APP,
                app_name="Suivi Diabète")
    audit.write(space, action=Action.PROFILE_READ, capacity=Capacity.PROFESSIONAL, actor=pro,
                emergency=True)
    client.sign_in(owner.email)
    history = space_path(space, "/historique")
    assert client.get(history).status_code == 200  # the holder looked at it once already
    return dict(owner=owner, space=space, pro=pro, mediator=mediator, history=history)
