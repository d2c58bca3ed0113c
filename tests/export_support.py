"""Helpers of the export tests: the files they store, the world they share (a holder
signed in on a space with two documents, another space with one), a person's access to a
space, and the archive of an export job downloaded."""

import datetime as dt
import io
import zipfile

import pytest

from tests.helpers import make_document, make_space, make_user, space_path
from webapp import policy
from webapp.access import Access
from webapp.models.privacy import ExportJob

PDF = b"%PDF-1.4\n" + b"compte rendu " * 50 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
SECRET = b"%PDF-1.4\n" + b"consultation confidentielle " * 20 + b"\n%%EOF\n"


@pytest.fixture(name="world")
def world_fixture(app, db, client):
    """The holder signed in on a space with a PDF and a PNG; another space's document."""
    owner = make_user()
    space = make_space(owner)
    docs = [make_document(space, title=title, category="CR", day=dt.date(2026, 10, 1),
                          content=content, filename=title + ".bin")
            for title, content in (("Compte rendu", PDF), ("Radio du genou", PNG))]
    make_document(make_space(make_user()), title="Autre", category="CR",
                  day=dt.date(2026, 1, 1), content=b"%PDF-1.4 autre espace", filename="autre.pdf")
    client.sign_in(owner.email)
    return dict(owner=owner, space=space, docs=docs, base=space_path(space, ""))


def _access(user, space):
    """The access of a person to a space, as a request on its pages gets it."""
    return Access(user, space, policy.grant_for(user, space))


def _zip(client, space, job=None):
    """The archive of the job (the latest by default), downloaded by the client."""
    job = job or ExportJob.select().order_by(ExportJob.id.desc()).first()
    response = client.get(space_path(space, f"/export/{job.id}/telecharger"))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.data
    response.close()
    return zipfile.ZipFile(io.BytesIO(data))
