"""Creating a mandate with the citizen present: every step, consent that the mediator
cannot fake, TOTP confirmation, replacement, notification and attestation."""

import datetime as dt

import pytest

from tests.helpers import make_user, space_path, totp_now
from tests.test_mandate_support import (
    citizen_with_space,
    consent_by_code,
    create_mandate,
    last_code,
    sent_to,
    start_draft,
    walk_to_consent,
)
from webapp.db import utcnow
from webapp.models.audit import AccessLog
from webapp.models.mandates import Attestation, ConsentCode, Mandate, MandateDraft
from webapp.models.notifications import Outbox


@pytest.fixture
def people(db, client):
    citizen, space = citizen_with_space()
    mediator = make_user("mediator")
    client.sign_in(mediator.email)
    return dict(citizen=citizen, space=space, mediator=mediator)


def test_each_step_has_progress_and_back_link(client, people):
    r = client.get("/mandats/nouveau")
    assert r.status_code == 302 and r.headers["Location"].endswith("/mandats/nouveau/personne")
    _r, doc = client.page("/mandats/nouveau/personne")
    assert "Étape 1 sur 6" in doc.find("p", class_="steps").text
    assert doc.find("a", class_="back-link") is not None
    draft = walk_to_consent(client, people["space"])
    _r, doc = client.page(f"{draft}/accord")
    assert "Étape 5 sur 6" in doc.find("p", class_="steps").text
    assert doc.find("a", class_="back-link").get("href") == f"{draft}/conditions"
    assert doc.find("form", action=f"{draft}/annuler") is not None
    # back to step 1: the person is shown again, and choosing them keeps the later steps
    _r, doc = client.page(f"{draft}/rubriques")
    assert doc.find("a", class_="back-link").get("href") == f"{draft}/personne"
    _r, doc = client.page(f"{draft}/personne")
    assert doc.find("input", id="nir").get("value") == people["space"].nir
    r = client.submit(f"{draft}/personne", {"nir": people["space"].nir,
                                           "birth_date": people["space"].birth_date.isoformat()})
    assert r.headers["Location"].endswith(f"{draft}/rubriques")
    assert client.get(f"{draft}/accord").status_code == 200


def test_steps_cannot_be_skipped(client, people):
    draft = start_draft(client, people["space"])
    for url in ("/duree", "/conditions", "/accord", "/confirmation"):
        r = client.get(draft + url)
        assert r.status_code == 302 and r.headers["Location"].endswith(f"{draft}/rubriques")
    r = client.submit(f"{draft}/accord/connexion", {"l-email": people["citizen"].email,
                                                    "l-password": "demo-Espace-2026"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{draft}/rubriques")
    client.submit(f"{draft}/rubriques", {"scopes": ["documents.read"]})
    r = client.get(f"{draft}/confirmation")
    assert r.headers["Location"].endswith(f"{draft}/duree")
    # a space closed meanwhile sends back to the first step
    people["space"].state = "closed"
    people["space"].save()
    r = client.get(f"{draft}/duree")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{draft}/personne")


def test_unknown_citizen_is_an_error_on_the_field(client, people):
    r = client.submit("/mandats/nouveau/personne", {"nir": people["space"].nir,
                                                    "birth_date": "1999-01-01"})
    assert r.status_code == 200 and "Aucun espace santé ne correspond" in r.text
    assert 'aria-invalid="true"' in r.text and people["space"].nir in r.text


def test_birth_date_is_typed_day_month_year(client, people):
    space = people["space"]
    r = client.submit("/mandats/nouveau/personne", {"nir": space.nir, "birth_date": "31/02/1980"})
    assert r.status_code == 200 and "format JJ/MM/AAAA" in r.text and "31/02/1980" in r.text
    r = client.submit("/mandats/nouveau/personne", {
        "nir": " ".join(space.nir[i:i + 3] for i in range(0, 15, 3)),
        "birth_date": space.birth_date.strftime("%d/%m/%Y")})
    assert r.status_code == 303


def test_full_journey_by_code(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    mandate = create_mandate(client, mediator, space, citizen,
                             scopes=("documents.read", "agenda.read"), duration="month")
    assert mandate.state() == "active" and mandate.scope_set == {"documents.read", "agenda.read"}
    assert mandate.office_id == mediator.office_id and mandate.duration == "month"
    assert 28 <= (mandate.ends_at - mandate.starts_at).days <= 31
    assert Outbox.select().where((Outbox.recipient == citizen)
                                 & (Outbox.template == "mandate_created")).exists()
    entry = AccessLog.select().where((AccessLog.space == space)
                                     & (AccessLog.action == "mandate.create")).get()
    assert entry.mandate_ref == mandate.reference and entry.office_name == mediator.office.name


def test_consent_code_cannot_be_guessed_reused_or_late(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    draft = walk_to_consent(client, space)
    r = client.submit(f"{draft}/confirmation",
                      {"code": totp_now(mediator.totp_secret)})
    assert r.status_code == 302  # consent missing: sent back to step 5
    client.submit(f"{draft}/accord", {"action": "send"})
    code = last_code(citizen)
    wrong = "000000" if code != "000000" else "111111"
    r = client.submit(f"{draft}/accord", {"action": "code", "c-code": wrong})
    assert r.status_code == 200 and "Ce code est incorrect" in r.text
    # expired: 10 minutes
    consent = ConsentCode.select().order_by(ConsentCode.id.desc()).get()
    consent.expires_at = utcnow() - dt.timedelta(seconds=1)
    consent.save()
    r = client.submit(f"{draft}/accord", {"action": "code", "c-code": code})
    assert "plus valable" in r.text
    # a fresh code works once
    client.submit(f"{draft}/accord", {"action": "send"})
    code = last_code(citizen)
    assert client.submit(f"{draft}/accord",
                         {"action": "code", "c-code": code}).status_code == 303
    client.submit(f"{draft}/confirmation", {"code": totp_now(mediator.totp_secret, 1)})
    assert Mandate.select().count() == 1
    # replaying the same consent for a second mandate is refused (a draft forged to
    # point to the consent already used)
    second = walk_to_consent(client, space)
    MandateDraft.update(consent=consent.id + 1).execute()
    r = client.submit(f"{second}/confirmation", {"code": totp_now(mediator.totp_secret, 0)})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{second}/accord")
    assert Mandate.select().count() == 1


def test_consent_code_attempts_and_sending_are_limited(client, people):
    draft = walk_to_consent(client, people["space"])
    client.submit(f"{draft}/accord", {"action": "send"})
    code = last_code(people["citizen"])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        r = client.submit(f"{draft}/accord", {"action": "code", "c-code": wrong})
    assert "Trop de codes incorrects" in r.text
    r = client.submit(f"{draft}/accord", {"action": "code", "c-code": code})
    assert r.status_code == 200  # even the right code is refused now
    for _ in range(2):
        client.submit(f"{draft}/accord", {"action": "send"})
    assert ConsentCode.select().count() == 3
    r = client.submit(f"{draft}/accord", {"action": "send"}, follow_redirects=True)
    assert ConsentCode.select().count() == 3 and "Trois codes ont déjà été envoyés" in r.text


def test_consent_by_the_citizen_signing_in(client, people):
    draft = walk_to_consent(client, people["space"])
    r = client.submit(f"{draft}/accord/connexion",
                      {"l-email": people["citizen"].email, "l-password": "wrong-password"})
    assert r.status_code == 200 and "incorrect" in r.text
    other = make_user("citizen")  # someone else's own account cannot consent
    r = client.submit(f"{draft}/accord/connexion",
                      {"l-email": other.email, "l-password": "demo-Espace-2026"})
    assert r.status_code == 200
    r = client.submit(f"{draft}/accord/connexion",
                      {"l-email": people["citizen"].email, "l-password": "demo-Espace-2026"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{draft}/confirmation")
    r = client.submit(f"{draft}/confirmation",
                      {"code": totp_now(people["mediator"].totp_secret, 1)})
    assert r.status_code == 303
    assert Attestation.get().consent_method == "login"


def test_totp_confirmation_is_required(client, people):
    draft = walk_to_consent(client, people["space"])
    consent_by_code(client, draft, people["citizen"])
    r = client.submit(f"{draft}/confirmation", {"code": "123456"})
    assert r.status_code == 200 and "Ce code est incorrect" in r.text
    assert Mandate.select().count() == 0


def test_a_new_mandate_of_the_office_replaces_the_one_in_force(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    first = create_mandate(client, mediator, space, citizen, scopes=("documents.read",))
    other_scopes = create_mandate(client, mediator, space, citizen, scopes=("agenda.read",),
                                  duration="day")
    # consent codes: the previous one was used; wait-free because each is a new row
    second = create_mandate(client, mediator, space, citizen, scopes=("documents.read",),
                            duration="year")
    first, other_scopes = Mandate.get_by_id(first.id), Mandate.get_by_id(other_scopes.id)
    assert first.state() == "revoked" and other_scopes.state() == "revoked"
    assert second.state() == "active"  # one mandate of this office at a time: no merge


def test_attestation_page_and_pdf(client, people):
    citizen, space, mediator = people["citizen"], people["space"], people["mediator"]
    mandate = create_mandate(client, mediator, space, citizen, scopes=("documents.read",))
    att = Attestation.get(Attestation.mandate == mandate)
    _r, doc = client.page(f"/mandats/{mandate.reference}/attestation")
    text = doc.find("main").text
    for part in (space.display_name, mediator.display_name, mediator.office.name,
                 "Consulter les documents", "un mois", att.code, mandate.reference):
        assert part in text
    r = client.get(f"/mandats/{mandate.reference}/attestation.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    # the citizen sees it too, in their space; another mediator does not
    client.post("/deconnexion", data={"csrf_token": client.csrf_token()})
    client.sign_in(citizen.email)
    _r, doc = client.page(space_path(space, f"/parametres/mandats/{mandate.reference}/attestation"))
    assert att.code in doc.find("main").text
    client.page(f"/mandats/{mandate.reference}/attestation", status=404)
    client.post("/deconnexion", data={"csrf_token": client.csrf_token()})
    client.sign_in(make_user("mediator").email)
    client.page(f"/mandats/{mandate.reference}/attestation", status=404)
    client.page(f"/mandats/{mandate.reference}/attestation.pdf", status=404)


def test_public_verification(client, people):
    mandate = create_mandate(client, people["mediator"], people["space"], people["citizen"])
    code = Attestation.get(Attestation.mandate == mandate).code
    client.post("/deconnexion", data={"csrf_token": client.csrf_token()})
    _r, doc = client.page("/attestation/verifier?code=" + code.lower().replace("-", " "))
    assert "Ce mandat est valable." in doc.find("main").text
    mandate.revoked_at = utcnow()
    mandate.save()
    _r, doc = client.page("/attestation/verifier?code=" + code)
    assert "révoqué" in doc.find("main").text
    _r, doc = client.page("/attestation/verifier?code=AAAA-BBBB-CCCC")
    assert "Aucune attestation" in doc.find("main").text
    assert people["space"].last_name.upper() not in doc.find("main").text


def _child_with_parent(born):
    from tests.helpers import make_child

    parent, _own = citizen_with_space(first_name="Parent")
    child = make_child(parent, born, first_name="Léo")
    return parent, child


def test_a_legal_representative_consents_for_a_child(client, people):
    from webapp.models.notifications import Outbox as Sent

    parent, child = _child_with_parent(dt.date.today().replace(year=dt.date.today().year - 9))
    draft = walk_to_consent(client, child, scopes=("agenda.read",))
    _r, doc = client.page(f"{draft}/accord")
    assert "a moins de 18 ans" in doc.text and "représentants légaux" in doc.text
    assert f"{parent.email[0]}•••@" in doc.text
    assert client.submit(f"{draft}/accord", {"action": "send"}).status_code == 303
    body = sent_to(parent)[-1].get_content()  # the representative knows which child it is
    assert "représentant légal de Léo TEST" in body and "Code : " in body
    r = client.submit(f"{draft}/accord", {
        "action": "code", "c-code": last_code(parent, "mandate_consent_code_child")})
    assert r.status_code == 303, r.text[:1500]
    r = client.submit(f"{draft}/confirmation",
                      {"code": totp_now(people["mediator"].totp_secret, 1)})
    assert r.status_code == 303, r.text[:1500]
    mandate = Mandate.get(Mandate.space == child)
    assert mandate.state() == "active" and mandate.scope_set == {"agenda.read"}
    assert Sent.select().where((Sent.recipient == parent)
                               & (Sent.template == "mandate_created")).exists()
    _r, doc = client.page(f"/mandats/{mandate.reference}/attestation")
    assert "Accord d'un représentant légal" in doc.text
    # the mediator acts in the child's space, within the mandate
    r = client.submit(f"/assistance/{mandate.reference}/ouvrir")
    assert r.status_code == 303 and r.headers["Location"].endswith(space_path(child, "/"))
    client.page(space_path(child, "/agenda"))
    client.page(space_path(child, "/documents"), status=404)


def test_a_representative_signs_in_to_consent_and_the_mandate_ends_at_18(client, people):
    today = dt.date.today()
    parent, child = _child_with_parent(today.replace(year=today.year - 18) + dt.timedelta(days=40))
    draft = walk_to_consent(client, child, duration="year")
    stranger = make_user("citizen")
    r = client.submit(f"{draft}/accord/connexion",
                      {"l-email": stranger.email, "l-password": "demo-Espace-2026"})
    assert r.status_code == 200 and "incorrect" in r.text
    r = client.submit(f"{draft}/accord/connexion",
                      {"l-email": parent.email, "l-password": "demo-Espace-2026"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{draft}/confirmation")
    r = client.submit(f"{draft}/confirmation",
                      {"code": totp_now(people["mediator"].totp_secret, 1)})
    assert r.status_code == 303, r.text[:1500]
    mandate = Mandate.get(Mandate.space == child)
    assert mandate.ends_at == dt.datetime.combine(child.adult_on(), dt.time())
    assert Attestation.get(Attestation.mandate == mandate).consent_method == "login"


def test_a_child_space_without_any_representative_cannot_get_a_mandate(client, people):
    from tests.helpers import make_space

    child = make_space(None, state="active", birth_date=dt.date(2016, 5, 1))
    r = client.submit("/mandats/nouveau/personne", {"nir": child.nir,
                                                    "birth_date": "2016-05-01"})
    assert r.status_code == 200 and "pas encore activé" in r.text
