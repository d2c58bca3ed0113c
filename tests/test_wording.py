"""French as a reader expects it: elision before names put into sentences ("d'Amina",
"d'Hugo", "de Yves"), pronouns that follow the person's sex, one message when a list is
empty, and one way to write dates on every page."""

import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.helpers import give_mandate, make_space, make_user, space_path
from tests.test_mandate_support import banner
from webapp.i18n import elide
from webapp.models.mandates import Attestation

TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "templates"


@pytest.mark.parametrize(("name", "expected"), [
    ("Amina Diallo", "le mandat d'Amina Diallo"),
    ("Élodie Roux", "le mandat d'Élodie Roux"),
    ("Hugo Petit", "le mandat d'Hugo Petit"),  # a mute h
    ("Yves Morel", "le mandat de Yves Morel"),  # y is a consonant here
    ("Camille Martin", "le mandat de Camille Martin"),
])
def test_de_before_a_name_is_elided_before_a_vowel_sound(name, expected):
    template = "le mandat de %(name)s"
    assert elide(template, {"name": name}) % {"name": name} == expected


def test_only_whole_words_before_a_value_are_elided():
    values = {"name": "Amina", "count": 8, "office": "Espace Santé"}
    assert elide("Que %(name)s, la %(name)s, Le %(name)s", values) == \
        "Qu'%(name)s, l'%(name)s, L'%(name)s"
    assert elide("le code %(count)s de %(count)s", values) == "le code %(count)s de %(count)s"
    assert elide("monde %(name)s, aide %(name)s", values) == "monde %(name)s, aide %(name)s"
    assert elide("la structure de %(office)s", values) == "la structure d'%(office)s"
    assert elide("%(name)s de passage", values) == "%(name)s de passage"


def test_python_and_template_texts_elide_in_french_only(app):
    with app.test_request_context("/"):
        with force_locale("fr"):
            assert _("Mettre fin au mandat de %(name)s", name="Hugo") == \
                "Mettre fin au mandat d'Hugo"
            rendered = app.jinja_env.from_string(
                "{{ _('Quitter l\\'espace de %(name)s', name=n) }}").render(n="Amina <b>")
            assert rendered == "Quitter l'espace d'Amina &lt;b&gt;"  # still escaped
        with force_locale("en"):
            assert "Hugo" in _("Mettre fin au mandat de %(name)s", name="Hugo")
            assert "d'" not in _("Mettre fin au mandat de %(name)s", name="Hugo")


def test_a_mediator_reads_d_amina_on_the_pages(client, db):
    amina = make_user("citizen", first_name="Amina", last_name="Diallo")
    space = make_space(amina)
    mediator = make_user("mediator")
    mandate = give_mandate(mediator, space, ["documents.read"])
    client.sign_in(mediator.email)
    _r, doc = client.page(f"/mandats/{mandate.reference}/terminer")
    assert doc.find("h1").text.strip() == "Mettre fin au mandat d'Amina DIALLO"
    _r, doc = client.page(space_path(space, "/documents"))
    assert "Quitter l'espace d'Amina DIALLO" in banner(doc).text


@pytest.mark.parametrize(("sex", "phrase"), [
    ("M", "à agir pour lui"), ("F", "à agir pour elle"), ("", "à agir en son nom")])
def test_the_attestation_pronoun_follows_the_persons_sex(client, db, sex, phrase):
    citizen = make_user("citizen")
    space = make_space(citizen, sex=sex)
    mediator = make_user("mediator")
    mandate = give_mandate(mediator, space, ["documents.read"], duration="month")
    Attestation.create(mandate=mandate, consent_method="code", citizen_name=space.display_name,
                       holder_name=mediator.display_name, office_name=mediator.office.name)
    client.sign_in(mediator.email)
    _r, doc = client.page(f"/mandats/{mandate.reference}/attestation")
    text = doc.find("main").text
    assert phrase in text
    for other in {"à agir pour lui", "à agir pour elle", "à agir en son nom"} - {phrase}:
        assert other not in text


def test_an_empty_list_says_so_once(client, db):
    owner = make_user("citizen")
    space = make_space(owner)
    client.sign_in(owner.email)
    _r, doc = client.page(space_path(space, "/documents"))
    main = doc.find("main").text
    assert doc.find("h2", id="document-count").text.strip() == "Aucun document pour le moment"
    assert "0 document" not in main and main.count("Aucun document") == 1
    _r, doc = client.page(space_path(space, "/documents?q=radio"))
    main = doc.find("main").text
    assert doc.find("h2", id="document-count").text.strip() == \
        "Aucun document ne correspond à vos filtres"
    assert "0 document" not in main and main.count("Aucun document") == 1


def test_a_mediator_without_anyone_reads_one_message(client, db):
    client.sign_in(make_user("mediator").email)
    _r, doc = client.page("/")
    title = doc.find("h2", id="usagers-title").text.strip()
    assert title == "Aucun usager ne vous a donné de mandat en cours"
    assert "0 usager" not in doc.find("main").text
    _r, doc = client.page("/?q=zorro")
    title = doc.find("h2", id="usagers-title").text.strip()
    assert title == "Aucun usager ne correspond à « zorro »"


# Every date is written by the `date` filter ("12 mars 2026"), every moment by `datetime`
# ("12 mars 2026, 14:30"), a time alone by `time`; "full" adds the day of the week.
DATE_CALL = re.compile(r"\|(date|datetime)\(([^)]*)\)")


def test_templates_write_dates_one_way():
    odd = [(path.relative_to(TEMPLATES), match.group(0))
           for path in TEMPLATES.rglob("*.html")
           for match in DATE_CALL.finditer(path.read_text())
           if match.group(2) != '"full"']
    assert not odd, f"dates written another way: {odd}"


def test_a_date_and_a_moment_side_by_side_share_one_format(app):
    import datetime as dt

    with app.test_request_context("/"), force_locale("fr"):
        env = app.jinja_env
        day = env.from_string("{{ d|date }}").render(d=dt.date(2026, 3, 12))
        moment = env.from_string("{{ m|datetime }}").render(m=dt.datetime(2026, 3, 12, 13, 30))
        assert day == "12 mars 2026"
        assert moment == "12 mars 2026, 14:30"  # Paris time, same date format


@pytest.mark.parametrize(("sex", "born"), [("F", "Née le"), ("M", "Né le"), ("", "Né(e) le")])
def test_the_summary_agrees_with_the_persons_sex(client, db, sex, born):
    owner = make_user("citizen")
    space = make_space(owner, sex=sex)
    client.sign_in(owner.email)
    _r, doc = client.page(space_path(space, "/synthese"))
    assert f"{born} 1 janvier 1980." in doc.find("main").text


def test_an_empty_history_says_so_once(client, db):
    owner = make_user("citizen")
    space = make_space(owner)
    client.sign_in(owner.email)
    _r, doc = client.page(space_path(space, "/historique?qui=professionnels"))
    title = doc.find("h2", id="history-count").text.strip()
    assert title.startswith("Aucun accès – ") and "0 accès" not in doc.find("main").text


def test_an_email_elides_too(app, db):
    from webapp.models.accounts import Office
    from webapp.notify.events import texts
    from webapp.notify.queue import notify

    citizen = make_user("citizen")
    mediator = make_user("mediator", first_name="Hugo", office=Office.create(
        name="Espace France Services Arles"))
    row = notify(citizen, "mandate_consent_code", channel="email", code="123456",
                 office=mediator.office.name, mediator=mediator.display_name,
                 scopes=["documents.read"], duration="day")
    with app.test_request_context("/"), force_locale("fr"):
        _subject, text = texts(row)
    assert "d'Espace France Services Arles" in text
