"""A required field is not answered by spaces or NUL characters alone (the NUL filter would
save it empty), and what was saved blank before still exports as valid FHIR. Found by the
form fuzzer on PostgreSQL: an allergy of one NUL character broke the export's Bundle."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.helpers import camille_signed_in, space_path
from webapp.access import Access
from webapp.fhir import everything
from webapp.models.profile import ProfileEntry
from webapp.record.profile_sections import BY_CODE


@pytest.fixture
def camille(client, db):
    return camille_signed_in(client)


@pytest.mark.parametrize("blank", ["\x00", "   ", "\x00 \x00", "\t"])
def test_a_blank_required_answer_is_refused_on_the_form(client, camille, blank):
    response = client.submit(space_path(camille, "/profil/allergies/ajouter"),
                             {"substance": blank, "reaction": "Urticaire"})
    assert response.status_code == 200
    assert "Saisissez l'allergie ou l'intolérance." in response.text
    assert "Urticaire" in response.text  # what was typed stays
    assert not ProfileEntry.select().where(ProfileEntry.space == camille).exists()


def test_entries_saved_blank_before_still_export_as_valid_fhir(client, camille):
    for code, values in (("allergies", {"substance": "", "reaction": " "}),
                         ("vaccinations", {"vaccine": ""})):
        entry = ProfileEntry(space=camille, section=BY_CODE[code].code)
        entry.values = values
        entry.save()
    access = Access.open(camille.owner, camille.ref)
    text = "".join(everything.bundle(access, kind="collection").chunks())
    bundle = Bundle.model_validate(json.loads(text))
    kinds = sorted(e.resource.get_resource_type() for e in bundle.entry)
    assert "AllergyIntolerance" in kinds and "Immunization" in kinds
