"""Export of a space: what the person who asks may not see stays out (a minor's
confidential documents from her legal representative), and so do other spaces' rows."""

import datetime as dt
import io
import json
import os
import zipfile

import pytest

from tests.export_support import (
    PDF,
    SECRET,
    _access,
    _zip,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.helpers import logged, make_document, make_space, make_user, space_path
from webapp import policy
from webapp.accounts import export
from webapp.models.agenda import Appointment
from webapp.models.measurements import Measurement
from webapp.models.messages import Conversation, Message
from webapp.models.privacy import ExportJob
from webapp.models.profile import ProfileEntry
from webapp.models.spaces import Guardianship


@pytest.fixture
def teenager(app, db, client):
    """Inès, 16, holds her own space; her mother still represents her. One of her documents
    is confidential: kept from the legal representative."""
    today = dt.date.today()
    ines = make_user(first_name="Inès", last_name="Martin")
    space = make_space(ines, birth_date=today.replace(year=today.year - 16, day=1))
    mother = make_user(first_name="Camille", last_name="Martin")
    make_space(mother)
    Guardianship.create(guardian=mother, child=space)
    carnet = make_document(space, title="Carnet de vaccination", content=PDF,
                           filename="carnet.pdf")
    secret = make_document(space, title="Consultation contraception", content=SECRET,
                           filename="contraception.pdf", confidential=True)
    return dict(ines=ines, mother=mother, space=space, carnet=carnet, secret=secret)


def _export_as(client, user, space):
    """Sign in as the person, ask for an export of the space and return its archive."""
    client._cookies.clear()
    client.sign_in(user.email)
    assert client.submit(space_path(space, "/export")).status_code == 303
    job = ExportJob.select().where(ExportJob.requested_by == user).order_by(
        ExportJob.id.desc()).first()
    assert job.state == "ready"
    return _zip(client, space, job)


def _everything(archive):
    """Every name and every byte of the archive, and donnees.json parsed."""
    names = archive.namelist()
    return names, b"".join(archive.read(n) for n in names), json.loads(
        archive.read("donnees.json"))


def test_export_of_a_childs_space_leaves_out_what_is_confidential_from_the_representative(
        app, client, teenager):
    space, secret = teenager["space"], teenager["secret"]
    assert policy.grant_for(teenager["mother"], space).capacity == "guardian"
    archive = _export_as(client, teenager["mother"], space)
    names, content, data = _everything(archive)
    assert [d["title"] for d in data["tables"]["document"]] == ["Carnet de vaccination"]
    assert secret.id not in {d["id"] for d in data["tables"]["document"]}
    assert secret.sha256 not in content.decode("utf-8", "replace")
    assert SECRET not in content and PDF in content
    assert not any("contraception" in n.lower() for n in names)
    for name in ("donnees.json", "resume.html"):
        text = archive.read(name).decode()
        assert "contraception" not in text.lower() and "Carnet" in text
    # built in the background, it is read with the mother's grant too
    app.config["EXPORT_SYNC_LIMIT"] = 10
    client.submit(space_path(space, "/export"))
    job = ExportJob.get(ExportJob.state == "pending")
    assert export.build_pending() == 1
    _names, content, data = _everything(_zip(client, space, job))
    assert SECRET not in content and b"contraception" not in content.lower()
    assert {d["title"] for d in data["tables"]["document"]} == {"Carnet de vaccination"}


def test_the_minor_exports_her_confidential_documents_and_only_she_downloads_them(
        client, teenager):
    space = teenager["space"]
    archive = _export_as(client, teenager["ines"], space)
    names, content, data = _everything(archive)
    assert {d["title"] for d in data["tables"]["document"]} == {
        "Carnet de vaccination", "Consultation contraception"}
    assert SECRET in content and any("contraception" in n.lower() for n in names)
    assert "Consultation-contraception" in archive.read("resume.html").decode()
    job = ExportJob.get(ExportJob.requested_by == teenager["ines"])
    # her mother neither sees that archive nor downloads it
    client._cookies.clear()
    client.sign_in(teenager["mother"].email)
    _r, doc = client.page(space_path(space, "/export"))
    assert "Télécharger l'archive" not in doc.find("main").text
    assert client.get(space_path(space, f"/export/{job.id}/telecharger")).status_code == 404
    assert not logged(job, action="account.export_download",
                      actor=teenager["mother"]).exists()


def _fill(space, author):
    """Rows of the main kinds an export holds, in one space."""
    day = dt.date(2026, 2, 1)
    make_document(space, title=f"Document de {space.first_name}",
                  content=b"%PDF-1.4 " + os.urandom(8).hex().encode(), filename="x.pdf")
    ProfileEntry.create(space=space, section="allergies", author=author,
                        data=json.dumps({"substance": f"Allergie de {space.first_name}"}))
    Measurement.create(space=space, kind="poids", value=70, measured_on=day, author=author)
    Appointment.create(space=space, title=f"Rendez-vous de {space.first_name}",
                       starts_at=dt.datetime(2026, 3, 1, 9), created_by=author)
    pro = make_user(role="professional")
    Message.create(conversation=Conversation.create(space=space, professional=pro, subject="Suivi"),
                   author=pro, author_capacity="professional", body=f"Pour {space.first_name}")


def test_the_export_of_one_space_never_holds_another_spaces_rows(app, client, world):
    other_owner = make_user(first_name="Zoé")
    other = make_space(other_owner, first_name="Zoé")
    _fill(world["space"], world["owner"])
    _fill(other, other_owner)
    client._cookies.clear()
    client.sign_in(other_owner.email)
    client.get(space_path(other, "/documents"))  # a log entry in the other space
    client._cookies.clear()
    client.sign_in(world["owner"].email)
    client.get(space_path(world["space"], "/documents"))  # and one in the exported space
    with app.test_request_context("/"):
        path = export.export_dir() / "check.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        export.write_zip(_access(world["owner"], world["space"]), path)
    with export.open_archive(path) as encrypted:
        archive = zipfile.ZipFile(io.BytesIO(encrypted.read()))
    _names, content, data = _everything(archive)
    assert b"Zo\xc3\xa9" not in content and b"Autre" not in content
    space_id = world["space"].id
    conversations = {c["id"] for c in data["tables"]["conversation"]}
    messages = {m["id"] for m in data["tables"]["message"]}
    assert conversations and messages
    for table, rows in data["tables"].items():
        for row in rows:
            if table == "guardianship":
                assert row["child"] == space_id
            elif table == "message":
                assert row["conversation"] in conversations
            elif table == "attachment":
                assert row["message"] in messages
            else:
                assert row["space"] == space_id, (table, row)
    assert {t: len(r) for t, r in data["tables"].items() if r}.keys() >= {
        "document", "profile_entry", "measurement", "appointment", "conversation", "message",
        "access_log"}
