"""Medical profile: every section, add/edit/delete as pages and as htmx fragments, "not
concerned", one trusted person at most, no advance directives for minors, access rules."""

import datetime as dt

import pytest

from tests.helpers import (
    camille_signed_in,
    give_mandate,
    logged,
    make_child,
    make_space,
    make_user,
    sign_in_on,
    space_path,
)
from webapp.models.profile import ProfileEntry, SectionStatus
from webapp.models.spaces import Block, CareRelation
from webapp.record.profile_sections import SECTIONS

HX = {"HX-Request": "true"}


@pytest.fixture
def owner(client, db):
    return camille_signed_in(client)


@pytest.fixture
def base(owner):
    """The address prefix of the owner's space."""
    return space_path(owner, "")


def test_profile_page_lists_every_section(client, base):
    _, doc = client.page(f"{base}/profil")
    assert "Camille" in doc.find("h1").text
    for section in SECTIONS:
        assert doc.by_id(f"section-{section.code}") is not None, section.code


VALID = {
    "maladies": {"name": "Asthme", "status": "ongoing", "start_date": "2010-05-01"},
    "traitements": {"name": "Ventoline", "dosage": "100 µg", "frequency": "si besoin"},
    "hospitalisations": {"reason": "Appendicite", "start_date": "2015-06-01"},
    "allergies": {"substance": "Pénicilline", "reaction": "Urticaire"},
    "antecedents-familiaux": {"relationship": "mother", "condition": "Diabète"},
    "handicaps": {"description": "Surdité partielle"},
    "groupe-sanguin": {"blood_group": "O−"},
    "vaccinations": {"vaccine": "DTP", "date": "2024-01-10", "batch": "X123"},
    "directives-anticipees": {"life_support": "stop", "wishes": "Pas d'acharnement."},
    "don-d-organes": {"acknowledged": "y"},
    "entourage": {"name": "Marc Martin", "kind": "trusted", "phone": "0600000000"},
}


@pytest.mark.parametrize("code", list(VALID))
def test_add_entry_without_javascript(client, owner, base, code):
    client.page(f"{base}/profil/{code}/ajouter")
    r = client.submit(f"{base}/profil/{code}/ajouter", VALID[code])
    assert r.status_code == 303 and r.headers["Location"].endswith(f"#section-{code}")
    entry = ProfileEntry.get()
    assert entry.section == code and entry.space_id == owner.id
    _, doc = client.page(f"{base}/profil")
    section = doc.by_id(f"section-{code}")
    first = next(iter(VALID[code].values()))
    first = {"antecedents-familiaux": "Mère", "don-d-organes": "J'ai pris connaissance",
             "directives-anticipees": "Je ne souhaite pas"}.get(code, first)
    assert first in section.text
    assert logged(entry, f"{code}:add").exists()


def test_add_with_htmx_returns_the_section_with_focus_and_announce(client, base):
    r, frag = client.page(f"{base}/profil/allergies/ajouter", fragment=True)
    assert frag.find("form", action=f"{base}/profil/allergies/ajouter").get("hx-post")
    assert "<html" not in r.text
    r = client.submit(f"{base}/profil/allergies/ajouter", VALID["allergies"], headers=HX)
    assert r.status_code == 200 and "<html" not in r.text
    entry = ProfileEntry.get()
    assert f'id="entry-{entry.id}" tabindex="-1" data-focus-on-load' in r.text
    assert 'hx-swap-oob="innerHTML"' in r.text and "a été ajoutée" in r.text


def test_errors_keep_input_as_page_and_fragment(client, base):
    data = {"name": "", "status": "ongoing", "start_date": "2020-01-01",
            "end_date": "2019-01-01"}
    r = client.submit(f"{base}/profil/maladies/ajouter", data)
    assert r.status_code == 200 and "<title>Erreur" in r.text
    assert "Saisissez la maladie ou le sujet de santé." in r.text
    assert "La date de fin doit être après la date de début." in r.text
    assert 'value="2019-01-01"' in r.text
    r = client.submit(f"{base}/profil/maladies/ajouter", data, headers=HX)
    assert r.status_code == 200 and "error-summary" in r.text and "<html" not in r.text
    assert ProfileEntry.select().count() == 0


def test_edit_and_delete(client, base):
    client.submit(f"{base}/profil/allergies/ajouter", VALID["allergies"])
    entry = ProfileEntry.get()
    client.page(f"{base}/profil/allergies/{entry.id}/modifier")
    r = client.submit(f"{base}/profil/allergies/{entry.id}/modifier",
                      {"substance": "Arachide", "reaction": ""}, headers=HX)
    assert r.status_code == 200 and "Arachide" in r.text
    assert ProfileEntry.get_by_id(entry.id).values == {"substance": "Arachide"}
    _, doc = client.page(f"{base}/profil/allergies/{entry.id}/supprimer")
    assert "Arachide" in doc.text
    _, frag = client.page(f"{base}/profil/allergies/{entry.id}/supprimer", fragment=True)
    assert frag.find("form", action=f"{base}/profil/allergies/{entry.id}/supprimer") is not None
    r = client.submit(f"{base}/profil/allergies/{entry.id}/supprimer")
    assert r.status_code == 303 and ProfileEntry.select().count() == 0
    # an entry of another section or another space is not found
    assert client.get(f"{base}/profil/traitements/999/modifier").status_code == 404
    assert client.get(f"{base}/profil/allergies/{2 ** 70}/modifier").status_code == 404


def test_not_concerned(client, base):
    r = client.submit(f"{base}/profil/allergies/non-concerne", headers=HX)
    assert r.status_code == 200 and "Non concerné." in r.text
    assert SectionStatus.get().section == "allergies"
    client.submit(f"{base}/profil/allergies/non-concerne")
    assert SectionStatus.select().count() == 0
    client.submit(f"{base}/profil/allergies/non-concerne")
    client.submit(f"{base}/profil/allergies/ajouter", VALID["allergies"])  # adding clears it
    assert SectionStatus.select().count() == 0


def test_single_entry_sections_edit_instead_of_adding(client, base):
    client.submit(f"{base}/profil/groupe-sanguin/ajouter", VALID["groupe-sanguin"])
    r = client.get(f"{base}/profil/groupe-sanguin/ajouter")
    assert r.status_code == 303 and "/modifier" in r.headers["Location"]


def test_at_most_one_trusted_person(client, base):
    client.submit(f"{base}/profil/entourage/ajouter", VALID["entourage"])
    r = client.submit(f"{base}/profil/entourage/ajouter",
                      {"name": "Julie Petit", "kind": "trusted"})
    assert r.status_code == 200 and "Vous avez déjà une personne de confiance : Marc Martin" \
        in r.text
    r = client.submit(f"{base}/profil/entourage/ajouter",
                      {"name": "Julie Petit", "kind": "caregiver"})
    assert r.status_code == 303
    first = ProfileEntry.select().order_by(ProfileEntry.id).first()
    r = client.submit(f"{base}/profil/entourage/{first.id}/modifier",
                      {"name": "Marc Martin", "kind": "trusted", "phone": "0611111111"})
    assert r.status_code == 303  # editing the trusted person itself is fine


def test_no_advance_directives_for_minors(client, db):
    parent = make_user()
    make_space(parent)
    child = make_child(parent, dt.date(2018, 12, 3), first_name="Léo")
    client.sign_in(parent.email)
    base = space_path(child, "")  # the address names the child's space
    _, doc = client.page(f"{base}/profil")
    assert "Léo" in doc.find("h1").text
    assert doc.by_id("section-directives-anticipees") is None
    assert client.get(f"{base}/profil/directives-anticipees/ajouter").status_code == 404
    r = client.submit(f"{base}/profil/vaccinations/ajouter", VALID["vaccinations"])
    assert r.status_code == 303 and ProfileEntry.get().space_id == child.id


def test_access_rules(client, owner, base):
    client.submit(f"{base}/profil/allergies/ajouter", VALID["allergies"])
    entry = ProfileEntry.get()
    urls = [f"{base}/profil", f"{base}/profil/allergies",
            f"{base}/profil/allergies/{entry.id}/modifier"]
    client._cookies.clear()
    for url in urls:  # anonymous
        r = client.get(url)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    other = make_user()
    own = space_path(make_space(other), "")
    client.sign_in(other.email)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.get(f"{own}/profil/allergies/{entry.id}/modifier").status_code == 404
    _, doc = client.page(f"{own}/profil")
    assert "Pénicilline" not in doc.text
    client._cookies.clear()
    pro = make_user(role="professional")
    CareRelation.create(professional=pro, space=owner)
    sign_in_on(client, pro, owner)
    _, doc = client.page(f"{base}/profil")
    assert "Pénicilline" in doc.text
    Block.create(professional=pro, space=owner)
    assert client.get(f"{base}/profil").status_code == 404


def test_mediator_reads_with_profile_scope_only(client, owner, base):
    client.submit(f"{base}/profil/allergies/ajouter", VALID["allergies"])
    entry = ProfileEntry.get()
    for scopes, status in (("profile.read", 200), ("agenda.read", 404)):
        mediator = make_user(role="mediator")
        give_mandate(mediator, owner, scopes)
        client._cookies.clear()
        sign_in_on(client, mediator, owner)
        for path in ("/profil", "/profil/allergies", "/mesures", "/mesures/poids", "/synthese"):
            assert client.get(base + path).status_code == status, (scopes, path)
        # reading never allows writing: profile.write is not grantable to mediators
        assert client.get(f"{base}/profil/allergies/ajouter").status_code == 404
        assert client.get(f"{base}/profil/allergies/{entry.id}/modifier").status_code == 404
        assert client.submit(f"{base}/mesures/poids/ajouter", {"value": "70"}).status_code == 404
