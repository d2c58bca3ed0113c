"""Documents of the record: the changes (actions) and what the lists need (queries).

Each action writes in one transaction with its log entry, and announces itself after
commit (webapp.signals); files are stored before the row that points to them, and
released only after the commit that stops pointing to them.
"""

from peewee import fn

from webapp import signals, storage
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.documents import TITLE_MAX, Document, fold
from webapp.scopes import HOLDER_SIDE, Capacity


def add_document(access, upload, *, title, category, document_date, confidential=False):
    """Store the uploaded file, then create its row in the access's space (logged). A
    professional's upload is theirs: the holder may hide it, not change or delete it."""
    digest, size, mime = storage.store(upload.stream)
    by_professional = access.capacity == Capacity.PROFESSIONAL
    return create_document(access, sha256=digest, size=size, mime=mime,
                           filename=upload.filename, title=title, category=category,
                           document_date=document_date, confidential=confidential,
                           author_kind="professional" if by_professional else "citizen",
                           source="professional" if by_professional else "upload")


def create_document(access, *, sha256, size, mime, filename, title, category, document_date,
                    author_kind="citizen", author_name="", source="upload", author=None,
                    confidential=False):
    """Create the row of a file already stored; hidden when the space asks for it."""
    space = access.space
    with transaction():
        document = Document.create(
            space=space, title=title.strip()[:TITLE_MAX], category=category,
            document_date=document_date, author=author or access.actor,
            author_kind=author_kind, author_name=author_name or getattr(
                access.actor, "display_name", ""),
            sha256=sha256, size=size, mime=mime, original_filename=(filename or "")[:255],
            hidden=bool(space.hide_new_documents), confidential=confidential, source=source)
        access.log(Action.DOCUMENTS_ADD, document)
        after_commit(lambda: signals.document_added.send(document))
    return document


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
    """(query, counts per category) of the documents matching the list's filters."""
    query = access.query(Document)
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
    return access.query(Document).where(Document.first_opened_at.is_null()).count()
