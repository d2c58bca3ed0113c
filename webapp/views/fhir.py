"""The FHIR R4 API under /fhir: JSON resources for professionals' software and citizens'
apps. Each route declares its SMART scope (`@api`), then opens the request's Access to
the patient's space: the same policy, the same log (under the app's name), the same
actions as the pages."""

import base64

from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.documentreference import DocumentReference
from flask import Blueprint, current_app, g, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from webapp import storage
from webapp.fhir import binaries, bundles, capability, documents, everything, patients
from webapp.fhir.caller import allows
from webapp.fhir.context import open_access, patient_ref, read_resource, requested_ref
from webapp.fhir.errors import HTTP_ISSUES, FhirError, invalid, not_found, respond, respond_error
from webapp.fhir.kinds import KINDS
from webapp.fhir.patient_search import find_patients
from webapp.guards import api, public
from webapp.models.documents import Document
from webapp.scopes import Scope

bp = Blueprint("fhir", __name__, url_prefix="/fhir")
bp.record_once(lambda state: state.app.extensions["csrf"].exempt(bp))  # bearer tokens


class _AnyPath(PathConverter):
    """A path with any character, a newline too (werkzeug's `path` stops at one, and
    the application's HTML 404 would answer instead of an OperationOutcome)."""

    regex = r"[^/][\s\S]*?"


bp.record_once(lambda state: state.app.url_map.converters.setdefault("anypath", _AnyPath))


@bp.errorhandler(FhirError)
def _fhir_error(error):
    return respond_error(error)


def _http_error(error):
    status = getattr(error, "code", None) or 500
    code, text = HTTP_ISSUES.get(status, ("exception" if status >= 500 else "processing",
                                          getattr(error, "name", "Server error")))
    return respond_error(FhirError(status, code, text))


# One per status: the app's own handlers of 404, 413… (HTML pages) would come first.
for _status in (*HTTP_ISSUES, 500, HTTPException):
    bp.register_error_handler(_status, _http_error)


@bp.route("/metadata")
@public
def metadata():
    """The CapabilityStatement: what this server implements."""
    return respond(capability.statement())


def _created(resource, path):
    return respond(resource, 201, {"Location": f"{bundles.base_url()}/{path}"})


@bp.route("/Patient")
@api("Patient", "s")
def patient_search():
    """Patients by INS identifier (or id) that the token may see."""
    found = find_patients(g.api_caller, request.args)
    return respond(bundles.collection(len(found), [patients.to_fhir(s) for s in found], [
        {"relation": "self", "url": request.url}]))


@bp.route("/Patient/<ref>")
@api("Patient", "r")
def patient_read():
    """One patient."""
    access = open_access(g.api_caller, g.pop("space_ref", ""), Scope.SPACE_VIEW)
    access.note(target=access.space, detail="api:Patient")
    return respond(patients.to_fhir(access.space))


def _allowed(kind, interaction):
    return allows(g.api_caller, kind, interaction)


@bp.route("/Patient/<ref>/$everything")
@api("Patient", "r")
def patient_everything():
    """The patient and what the token may read of their space, in one Bundle."""
    access = open_access(g.api_caller, g.pop("space_ref", ""), Scope.SPACE_VIEW)
    access.note(target=access.space, detail="api:$everything")
    return respond(everything.bundle(access, lambda kind: _allowed(kind, "s")))


@bp.route("/DocumentReference")
@api("DocumentReference", "s")
def document_search():
    """The patient's documents the token may see, by category, type and dates."""
    access = open_access(g.api_caller, requested_ref(g.api_caller, request.args),
                         Scope.DOCUMENTS_READ)
    access.note(detail="api:DocumentReference?")
    ref = access.space.ref
    return respond(bundles.searchset(documents.search(access, request.args),
                                     "DocumentReference", lambda d: documents.to_fhir(d, ref)))


def _subject_ref(resource):
    subject = getattr(resource, "subject", None) or getattr(resource, "patient", None)
    if subject is None and resource.get_resource_type() == "Appointment":
        subject = next((p.actor for p in resource.participant or []
                        if p.actor and (p.actor.reference or "").startswith("Patient/")), None)
    reference = subject.reference if subject else None
    if reference is None:
        if g.api_caller.space is None:
            raise invalid("subject: name the patient (Patient/<id>)")
        return g.api_caller.space.ref
    ref = patient_ref(reference)
    if not ref:
        raise not_found("No such patient")
    return ref


@bp.route("/DocumentReference", methods=["POST"])
@api("DocumentReference", "c")
def document_create():
    """Deposit a document (the file inline, base64) in the patient's record."""
    resource = read_resource(DocumentReference, "DocumentReference")
    access = open_access(g.api_caller, _subject_ref(resource), Scope.DOCUMENTS_ADD)
    document = documents.create(access, resource)
    return _created(documents.to_fhir(document, access.space.ref),
                    f"DocumentReference/{access.space.ref}-{document.id}")


def _row_id(text):
    """The row id in a resource id (any digits: a route that refused them would answer
    the application's HTML page, not an OperationOutcome); else 404."""
    if not (text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) < 2 ** 63):
        raise not_found()
    return int(text)


def _document(doc_id, how):
    """The document this id names, read through the request's Access to its space."""
    access = open_access(g.api_caller, g.pop("space_ref", ""), Scope.DOCUMENTS_READ)
    document = access.get(Document, _row_id(doc_id))
    access.note(target=document, detail=how)  # an app reading it leaves it "new" for her
    return access, document


@bp.route("/DocumentReference/<ref>-<doc_id>")
@api("DocumentReference", "r")
def document_read(doc_id):
    """One document's DocumentReference."""
    access, document = _document(doc_id, "api:DocumentReference")
    return respond(documents.to_fhir(document, access.space.ref))


@bp.route("/Binary/<ref>-<doc_id>")
@api(("Binary", "DocumentReference"), "r")
def binary_read(doc_id):
    """A document's file: raw, or a Binary resource when asked for FHIR JSON."""
    access, document = _document(doc_id, "download")
    with storage.open_blob(document.sha256) as blob:
        content = blob.read()
    if "fhir+json" in request.headers.get("Accept", ""):
        return respond(Binary.model_validate({
            "resourceType": "Binary", "id": documents.fhir_id(access.space.ref, document.id),
            "contentType": document.mime,
            "data": base64.b64encode(content).decode()}))
    response = current_app.response_class(content, mimetype=document.mime)
    response.headers["Content-Disposition"] = "attachment"
    return response


@bp.route("/Binary", methods=["POST"])
@api("Binary", "c")
def binary_create():
    """A file before the DocumentReference that names it (Binary/<id>): FHIR JSON, or
    the raw file with its own Content-Type."""
    if request.mimetype in ("application/fhir+json", "application/json"):
        resource = read_resource(Binary, "Binary")
        content = resource.data or b""
    else:
        content = request.get_data(cache=False)
    digest, mime = binaries.store(content)
    return _created(Binary.model_validate({"resourceType": "Binary", "id": digest,
                                           "contentType": mime}), f"Binary/{digest}")


def _searcher(kind):
    def search():
        caller = g.api_caller
        access = open_access(caller, requested_ref(caller, request.args), kind.read_scope)
        access.note(detail=f"api:{kind.name}?")
        ref = access.space.ref
        return respond(bundles.searchset(kind.search(access, request.args), kind.name,
                                         lambda row: kind.to_fhir(row, ref, access)))

    search.__doc__ = f"Search the patient's {kind.name} resources."
    return search


def _reader(kind):
    def read(row_id):
        access = open_access(g.api_caller, g.pop("space_ref", ""), kind.read_scope)
        row = kind.search(access, MultiDict()).where(
            kind.row_model._meta.primary_key == _row_id(row_id)).first()
        if row is None:
            raise not_found()
        access.note(target=row, detail=f"api:{kind.name}")
        return respond(kind.to_fhir(row, access.space.ref, access))

    read.__doc__ = f"Read one {kind.name}."
    return read


def _updater(kind):
    def update(row_id):
        resource = read_resource(kind.model, kind.name)
        access = open_access(g.api_caller, g.pop("space_ref", ""), kind.write_scope)
        row = kind.search(access, MultiDict()).where(
            kind.row_model._meta.primary_key == _row_id(row_id)).first()
        if row is None:
            raise not_found()
        row = kind.update(access, row, resource)
        return respond(kind.to_fhir(row, access.space.ref, access))

    update.__doc__ = f"Update one {kind.name} (as the record's rules allow)."
    return update


def _creator(kind):
    def create():
        resource = read_resource(kind.model, kind.name)
        access = open_access(g.api_caller, _subject_ref(resource), kind.write_scope)
        row = kind.create(access, resource)
        return _created(kind.to_fhir(row, access.space.ref, access),
                        f"{kind.name}/{access.space.ref}-{row.id}")

    create.__doc__ = f"Create a {kind.name} in the patient's record."
    return create


for _kind in KINDS.values():
    _name = _kind.name.lower()
    bp.add_url_rule(f"/{_kind.name}", f"{_name}_search", api(_kind.name, "s")(_searcher(_kind)))
    bp.add_url_rule(f"/{_kind.name}/<ref>-<row_id>", f"{_name}_read",
                    api(_kind.name, "r")(_reader(_kind)))
    if _kind.create is not None:
        bp.add_url_rule(f"/{_kind.name}", f"{_name}_create",
                        api(_kind.name, "c")(_creator(_kind)), methods=["POST"])
    if _kind.update is not None:
        bp.add_url_rule(f"/{_kind.name}/<ref>-<row_id>", f"{_name}_update",
                        api(_kind.name, "u")(_updater(_kind)), methods=["PUT"])


@bp.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<anypath:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@api(None, None)
def unsupported(rest):
    """Anything else: not implemented here (the CapabilityStatement says what is)."""
    raise FhirError(404, "not-supported", "Not implemented: see GET /fhir/metadata")
