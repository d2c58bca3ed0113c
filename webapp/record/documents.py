"""Documents of the record: the changes (actions) and what the lists need (queries).

Each action writes in one transaction with its log entry, and announces itself after
commit (webapp.signals); files are stored before the row that points to them, and
released only after the commit that stops pointing to them.
"""

from peewee import fn

from webapp import signals, storage
from webapp.access import Access
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.documents import TITLE_MAX, Document, fold
from webapp.pro import matrix
from webapp.record import types, uploads
from webapp.scopes import HOLDER_SIDE, Capacity


def add_document(access, upload, *, title, category, document_date, confidential=False):
    """Store the uploaded file, then create its row in the access's space (logged). A
    professional's upload is theirs: the holder may hide it, not change or delete it."""
    by_professional = access.capacity == Capacity.PROFESSIONAL
    if by_professional and not matrix.may_write(access.actor.profession, category):
        raise PermissionError(category)
    digest, size, mime = storage.store(upload.stream)
    return create_document(access, sha256=digest, size=size, mime=mime,
                           filename=upload.filename, title=title, category=category,
                           document_date=document_date, confidential=confidential,
                           author_kind="professional" if by_professional else "citizen",
                           source="professional" if by_professional else "upload")


def add_received(access, received, *, title, category, document_date):
    """The holder's side adds a file kept for the add form (webapp.record.uploads): its
    document is created, and the kept file is now the record's."""
    with transaction():
        document = create_document(access, sha256=received.sha256, size=received.size,
                                   mime=received.mime, filename=received.filename, title=title,
                                   category=category, document_date=document_date)
        uploads.used(received)
    return document


def create_document(access, *, sha256, size, mime, filename, title, category, document_date,
                    author_kind="citizen", author_name="", source="upload", author=None,
                    confidential=False, **professional):
    """Create the row of a file already stored; hidden when the space asks for it.
    `professional` holds what a deposit adds: loinc, withheld, release_at, hidden."""
    space = access.space
    professional.setdefault("hidden", bool(space.hide_new_documents))
    with transaction():
        document = Document.create(
            space=space, title=title.strip()[:TITLE_MAX], category=category,
            document_date=document_date, author=author or access.actor,
            author_kind=author_kind, author_name=author_name or getattr(
                access.actor, "display_name", ""),
            sha256=sha256, size=size, mime=mime,
            original_filename=storage.safe_filename(filename, mime),
            confidential=confidential, source=source, **professional)
        access.log(Action.DOCUMENTS_ADD, document, "version" if document.replaces_id else "")
        after_commit(lambda: signals.document_added.send(document))
    return document


def deposit(access, upload, *, title, category, loinc, document_date, withheld=False,
            release_at=None, replaces=None):
    """A professional deposits a PDF or an image in a category their profession may write
    in. A new version replaces the old one (kept in its history) and keeps what the
    holder chose for it (hidden) and whether it still waits for the consultation."""
    if not matrix.may_write(access.actor.profession, category):
        raise PermissionError(category)
    digest, size, mime = storage.store(upload.stream)
    if mime not in types.DEPOSIT_TYPES:
        storage.release(digest)
        raise storage.FileRefused("type")
    return _deposit(access, dict(sha256=digest, size=size, mime=mime, filename=upload.filename),
                    title=title, category=category, loinc=loinc, document_date=document_date,
                    withheld=withheld, release_at=release_at, replaces=replaces)


def deposit_received(access, received, *, title, category, loinc, document_date,
                     withheld=False, release_at=None, replaces=None):
    """`deposit` of a file kept for the deposit form (webapp.record.uploads)."""
    if received.mime not in types.DEPOSIT_TYPES:
        raise storage.FileRefused("type")
    with transaction():
        document = _deposit(
            access, dict(sha256=received.sha256, size=received.size, mime=received.mime,
                         filename=received.filename),
            title=title, category=category, loinc=loinc, document_date=document_date,
            withheld=withheld, release_at=release_at, replaces=replaces)
        uploads.used(received)
    return document


def _deposit(access, stored, *, title, category, loinc, document_date, withheld, release_at,
             replaces):
    if not matrix.may_write(access.actor.profession, category):
        raise PermissionError(category)
    extra = dict(withheld=bool(withheld), release_at=release_at if withheld else None)
    if replaces is not None:
        still_waiting = replaces.withheld and (replaces.release_at is None
                                               or replaces.release_at > utcnow())
        extra = dict(withheld=still_waiting, release_at=replaces.release_at,
                     hidden=replaces.hidden or bool(access.space.hide_new_documents))
    with transaction():
        document = create_document(
            access, **stored, title=title, category=category, document_date=document_date,
            author_kind="professional", source="professional", loinc=loinc, replaces=replaces,
            **extra)
        if replaces is not None:
            Document.update(superseded_at=utcnow()).where(Document.id == replaces.id).execute()
    return document


def release(access, document):
    """The professional shows a withheld document to the patient (after the announcement
    consultation); the holders are told a document arrived."""
    with transaction():
        document.withheld, document.release_at = False, None
        Document.update(withheld=False, release_at=None).where(
            Document.id == document.id).execute()
        access.log(Action.DOCUMENTS_RELEASE, document)
        after_commit(lambda: signals.document_released.send(document))


def release_due(now=None):
    """Show the withheld documents whose date has come (a scheduled command): each is
    logged as done by the service, and the holders are told. Returns how many."""
    due = list(Document.select().where(Document.withheld & Document.release_at.is_null(False)
                                       & (Document.release_at <= (now or utcnow()))))
    for document in due:
        release(Access.system(document.space, "Mon espace santé"), document)
    return len(due)


def versions(access, document):
    """The earlier versions of a document that the person may see, newest first."""
    found, current = [], document
    while current.replaces_id and len(found) < 50:
        current = access.query(Document).where(Document.id == current.replaces_id).first()
        if current is None:
            break
        found.append(current)
    return found


def newer_version(access, document):
    """The version that replaced this one, when the person may see it, or None."""
    if document.superseded_at is None:
        return None
    return access.query(Document).where(Document.replaces == document.id).first()


def opened(access, document, how):
    """Log what was read ("detail", "view", "download"); the holder's side marks it read."""
    access.note(target=document, detail=how)
    if document.first_opened_at is None and access.capacity in HOLDER_SIDE:
        (Document.update(first_opened_at=utcnow())
         .where((Document.id == document.id) & Document.first_opened_at.is_null()).execute())


def set_hidden(access, document, hidden):
    """Hide a document from professionals, or show it to them again."""
    with transaction():
        Document.update(hidden=hidden).where(Document.id == document.id).execute()
        access.log(Action.DOCUMENTS_MANAGE, document, "hide" if hidden else "show")
        document.hidden = hidden
        after_commit(lambda: signals.document_visibility_changed.send(document))


def edit_document(access, document, *, title, category, document_date):
    """Change the title, date or category of a document the holder's side added."""
    with transaction():
        document.title, document.category = title.strip()[:TITLE_MAX], category
        document.document_date = document_date
        document.save()
        access.log(Action.DOCUMENTS_MANAGE, document, "edit")


def delete_document(access, document):
    """Delete a document; its file goes once nothing else points to it (after commit)."""
    digest = document.sha256
    with transaction():
        document.delete_instance()
        access.log(Action.DOCUMENTS_MANAGE, document, "delete")
        after_commit(lambda: signals.file_released.send(digest))


def set_hide_new(access, hide):
    """Whether new documents start hidden from professionals."""
    space = access.space
    with transaction():
        space.hide_new_documents = bool(hide)
        space.save(only=["hide_new_documents"])
        access.log(Action.DOCUMENTS_MANAGE, detail=f"hide_new_documents={int(bool(hide))}")


def filtered(access, values, start=None, end=None):
    """(query, counts per category) of the current documents matching the list's filters
    (a replaced version is in its document's history, not in the list)."""
    query = access.query(Document).where(Document.superseded_at.is_null())
    if values.get("q"):
        query = query.where(Document.title_folded.contains(fold(values["q"])))
    if start is not None:
        query = query.where(Document.document_date >= start)
    if end is not None:
        query = query.where(Document.document_date <= end)
    counts = dict(query.select(Document.category, fn.COUNT(Document.id))
                  .group_by(Document.category).tuples())
    if values.get("categorie"):
        query = query.where(Document.category == values["categorie"])
    return query, counts


def new_count(access):
    """How many documents the person has not opened yet."""
    return access.query(Document).where(Document.first_opened_at.is_null()
                                        & Document.superseded_at.is_null()).count()
