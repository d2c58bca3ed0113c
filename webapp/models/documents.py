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

from webapp.db import BaseModel, utcnow
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
    loinc = CharField(max_length=16, default="")  # its type, a LOINC code (webapp.record.types)
    # Kept from the holder's side until the announcement consultation: the professional
    # lifts it, or it lifts itself at release_at (naive UTC).
    withheld = BooleanField(default=False)
    release_at = DateTimeField(null=True)
    replaces = ForeignKeyField("self", null=True, backref="newer_versions", on_delete="SET NULL")
    superseded_at = DateTimeField(null=True)  # a newer version replaced this one

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


# the home card counts each space's new documents: a partial index holds only those rows
NEW_DOCUMENTS = Document.index(Document.space, name="document_new").where(
    Document.first_opened_at.is_null() & Document.superseded_at.is_null())
Document.add_index(NEW_DOCUMENTS)
# documents waiting for their announcement are few: the space's "a document is waiting"
# notice and the hourly release read only those rows, not all of a space's, or all
WITHHELD_DOCUMENTS = Document.index(Document.space, Document.release_at,
                                    name="document_withheld").where(Document.withheld)
Document.add_index(WITHHELD_DOCUMENTS)
