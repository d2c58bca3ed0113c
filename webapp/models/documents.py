"""Documents of a space's record: the row that points to a stored file, and who may see it."""

import unicodedata

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp.db import MIGRATIONS, BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space

AUTHOR_KINDS = ("professional", "citizen", "system", "app")
SOURCES = ("upload", "message", "professional", "seed")
TITLE_MAX = 200


def fold(text):
    """Text as searched: without accents or case ("Échographie" → "echographie"), the
    same on SQLite and PostgreSQL whatever their collation."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Document(BaseModel):
    """A document of a space. The file itself lives in webapp.storage under its sha256."""

    space = ForeignKeyField(Space, backref="documents", on_delete="CASCADE")
    title = CharField(max_length=TITLE_MAX)
    category = CharField(max_length=8)  # a code of webapp.record.categories
    document_date = DateField()
    author = ForeignKeyField(User, null=True, backref="documents_written", on_delete="SET NULL")
    author_kind = CharField(default="citizen", choices=[(k, k) for k in AUTHOR_KINDS])
    author_name = CharField(default="")  # as shown, e.g. "Dr Paul BERNARD"
    sha256 = CharField(max_length=64)
    size = IntegerField()
    mime = CharField()
    original_filename = CharField(default="")
    hidden = BooleanField(default=False)  # hidden from professionals
    confidential = BooleanField(default=False)  # a minor's document kept from guardians
    first_opened_at = DateTimeField(null=True)  # None: still "new"
    created_at = DateTimeField(default=utcnow)
    source = CharField(default="upload", choices=[(s, s) for s in SOURCES])
    title_folded = TextField(default="")  # fold(title), what the title search reads

    class Meta:
        indexes = ((("space", "document_date"), False),)

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        return super().save(*args, **kwargs)

    @property
    def is_new(self):
        """True until someone on the holder's side first opens it."""
        return self.first_opened_at is None

    @property
    def citizen_owned(self):
        """True when the holder's side added it, so it may edit or delete it."""
        return self.author_kind == "citizen"


def add_document(space, *, title, category, document_date, sha256, size, mime, filename,
                 author=None, author_kind="citizen", author_name="", source="upload"):
    """Create the row of a file already stored; hidden when the space asks for it.

    The holders are told a document arrived (without saying what), except for the
    demo seed.
    """
    document = Document.create(
        space=space, title=title.strip()[:TITLE_MAX], category=category,
        document_date=document_date, author=author, author_kind=author_kind,
        author_name=author_name, sha256=sha256, size=size, mime=mime,
        original_filename=(filename or "")[:255], hidden=bool(space.hide_new_documents),
        source=source)
    if source != "seed":
        from webapp import notify

        notify.new_document(document)
    return document


def visible_documents(grant):
    """The documents of the grant's space that its actor may see (a query)."""
    query = Document.select().where(Document.space == grant.space)
    actor_id = getattr(grant.actor, "id", None) or 0  # 0 matches no author
    if not grant.sees_hidden:
        query = query.where(~Document.hidden | (Document.author == actor_id))
    if grant.capacity == "guardian":
        query = query.where(~Document.confidential | (Document.author == actor_id))
    return query


def is_visible(document, grant):
    """True when the grant's actor may see this document of its space."""
    if document.space_id != grant.space.id:
        return False
    by_actor = document.author_id is not None and document.author_id == getattr(
        grant.actor, "id", None)
    if document.hidden and not grant.sees_hidden and not by_actor:
        return False
    return not (document.confidential and grant.capacity == "guardian" and not by_actor)


def _add_title_folded(migrator, migrate):
    """Migration 1: the accent- and case-free copy of each title, filled for old rows."""
    migrate(migrator.add_column("document", "title_folded", TextField(default="")))
    for row in Document.select(Document.id, Document.title).iterator():
        Document.update(title_folded=fold(row.title)).where(Document.id == row.id).execute()


MIGRATIONS.append((1, "document.title_folded", _add_title_folded))
