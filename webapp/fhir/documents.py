"""DocumentReference: a document of the record, and a deposit through the record's own
actions (storage, encryption, the log, notifications).

Categories of the record are codes of CATEGORY_SYSTEM; document types are LOINC codes
(webapp.record.types), each with the category it goes in when none is given. The file
is inline (`content[0].attachment.data`, base64) on create, or a Binary created just
before (webapp.fhir.binaries), and is read from `Binary/<id>` (the attachment's url).
Size and types are those of uploads (webapp.storage: 5 MB; a professional deposits a
PDF or an image).
"""

import datetime as dt
import io

from fhir.resources.R4B.documentreference import DocumentReference

from webapp import storage
from webapp.db import utcnow
from webapp.fhir import binaries
from webapp.fhir.context import too_large
from webapp.fhir.errors import forbidden, invalid
from webapp.fhir.search import date_filter, token
from webapp.models.documents import Document
from webapp.record import categories, types
from webapp.record import documents as actions
from webapp.scopes import Capacity

LOINC = "http://loinc.org"
CATEGORY_SYSTEM = "urn:mon-espace-sante:fhir:document-category"


def instant(moment):
    """A naive UTC datetime as a FHIR instant."""
    return moment.replace(microsecond=0).isoformat() + "+00:00"


def fhir_id(ref, row_id):
    """The id of a row in the API: the space's reference and the row's id, so that a read
    names the space whose policy decides."""
    return f"{ref}-{row_id}"


def to_fhir(doc, ref):
    """The DocumentReference of a document of the space with this reference."""
    data = {
        "resourceType": "DocumentReference", "id": fhir_id(ref, doc.id),
        "status": "superseded" if doc.superseded_at else "current",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": doc.category,
                                  "display": str(categories.label(doc.category))}]}],
        "subject": {"reference": f"Patient/{ref}"},
        "date": instant(doc.created_at),
        "description": doc.title,
        "content": [{"attachment": {
            "contentType": doc.mime, "url": f"Binary/{fhir_id(ref, doc.id)}", "size": doc.size,
            "title": doc.original_filename or None, "creation": instant(doc.created_at)}}],
        "context": {"period": {"start": doc.document_date.isoformat()}},
    }
    if doc.loinc:
        data["type"] = {"coding": [{"system": LOINC, "code": doc.loinc,
                                    "display": str(types.label(doc.loinc))}]}
    if doc.author_name:
        data["author"] = [{"display": doc.author_name}]
    if doc.replaces_id:
        data["relatesTo"] = [{"code": "replaces",
                              "target": {"reference":
                                         f"DocumentReference/{fhir_id(ref, doc.replaces_id)}"}}]
    return DocumentReference.model_validate(data)


def _code(concepts, system):
    for concept in concepts or []:
        for coding in concept.coding or []:
            if coding.system == system and coding.code:
                return coding.code
    return None


def _category(resource, loinc):
    code = _code(resource.category, CATEGORY_SYSTEM)
    if code is None and loinc:
        code = types.TYPES[loinc][1]
    if code not in categories.CATEGORIES:
        raise invalid(f"category: give a coding of {CATEGORY_SYSTEM} among "
                      f"{', '.join(categories.CATEGORIES)}, or a known LOINC type")
    return code


def _loinc(resource):
    code = _code([resource.type] if resource.type else [], LOINC)
    if code is not None and code not in types.TYPES:
        raise invalid(f"type: LOINC {code!r} is not a document type of the record "
                      f"({', '.join(types.TYPES)})")
    return code or ""


def _document_date(resource):
    period = resource.context.period if resource.context else None
    day = None
    if period is not None and period.start is not None:
        day = period.start.date() if isinstance(period.start, dt.datetime) else period.start
    elif resource.date is not None:
        day = resource.date.date()
    day = day or utcnow().date()
    if day > utcnow().date() + dt.timedelta(days=1):
        raise invalid("context.period.start: a document's date cannot be in the future")
    return day


class _Upload:
    """What the record's actions read of an upload: a stream and a file name."""

    def __init__(self, content, filename):
        self.stream, self.filename = io.BytesIO(content), filename


def _content(resource):
    """(attachment, content): the file inline, or a Binary created just before."""
    if len(resource.content) != 1:
        raise invalid("content: exactly one attachment is expected")
    attachment = resource.content[0].attachment
    data = attachment.data if attachment.data is not None else binaries.pending(
        attachment.url)
    if len(data) > storage.MAX_SIZE:
        raise too_large(f"The file is over {storage.MAX_SIZE // (1024 * 1024)} MB")
    declared = (attachment.contentType or "").split(";")[0].strip().lower()
    sniffed = storage.sniff(data[:2048])
    if declared and sniffed and declared != sniffed:
        raise invalid(f"content[0].attachment.contentType says {declared!r} but the file "
                      f"is {sniffed!r}")
    return attachment, data


def create(access, resource):
    """Deposit the document of a DocumentReference in the access's space; returns the row."""
    loinc = _loinc(resource)
    by_professional = access.capacity == Capacity.PROFESSIONAL
    if by_professional and not loinc:
        raise invalid("type: a professional's document needs its LOINC type")
    category, day = _category(resource, loinc), _document_date(resource)
    attachment, data = _content(resource)
    title = (resource.description or attachment.title or
             (str(types.label(loinc)) if loinc else "")).strip()
    if not title:
        raise invalid("description: give the document's title")
    upload = _Upload(data, attachment.title or "document")
    try:
        if by_professional:
            return actions.deposit(access, upload, title=title, category=category,
                                   loinc=loinc, document_date=day)
        digest, size, mime = storage.store(upload.stream)
        return actions.create_document(
            access, sha256=digest, size=size, mime=mime, filename=upload.filename,
            title=title, category=category, document_date=day, loinc=loinc)
    except PermissionError:
        raise forbidden(f"Your profession may not deposit documents in {category}") from None
    except storage.FileRefused as refused:
        if refused.reason == "too_large":
            raise too_large("The file is over 5 MB") from None
        raise invalid("The file is empty" if refused.reason == "empty" else
                      "Send a PDF or an image (JPEG, PNG, TIFF)" + (
                          "" if by_professional else ", or plain text or RTF")) from None


def search(access, args):
    """The current documents matching category, type, date (when deposited) and period
    (the document's own date), newest first."""
    query = access.query(Document).where(Document.superseded_at.is_null())
    for value in args.getlist("category"):
        system, code = token(value)
        if system not in (None, CATEGORY_SYSTEM):
            return query.where(False)
        query = query.where(Document.category.in_(code.split(",")))
    for value in args.getlist("type"):
        system, code = token(value)
        if system not in (None, LOINC):
            return query.where(False)
        query = query.where(Document.loinc.in_(code.split(",")))
    for name, field in (("date", Document.created_at), ("period", Document.document_date)):
        condition = date_filter(field, args.getlist(name), name, name == "date")
        if condition is not None:
            query = query.where(condition)
    return query.order_by(Document.document_date.desc(), Document.id.desc())
