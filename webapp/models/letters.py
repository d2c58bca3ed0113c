"""Letters by post: the insured person's postal address, and the queue of letters to
print (activation codes for new spaces, new codes asked for, a young adult's own code)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from webapp.db import BaseModel, utcnow
from webapp.models.spaces import Space

LETTER_KINDS = ("activation", "new_code", "adult")


class PostalAddress(BaseModel):
    """Where the insurer writes to the person (from the file of insured people)."""

    space = ForeignKeyField(Space, backref="postal_addresses", unique=True, on_delete="CASCADE")
    line1 = CharField()  # number and street
    line2 = CharField(default="")  # building, "chez", place called
    postal_code = CharField(max_length=5)
    city = CharField()
    country = CharField(default="")  # empty in France
    updated_at = DateTimeField(default=utcnow)

    def lines(self, name):
        """The address block of an envelope window, as La Poste wants it (capitals)."""
        rows = [name, self.line2, self.line1, f"{self.postal_code} {self.city}", self.country]
        return [row.upper() for row in rows if row]


class LetterBatch(BaseModel):
    """One run of the printing command: one PDF file, one page per letter."""

    created_at = DateTimeField(default=utcnow)
    letters = IntegerField(default=0)
    file_name = CharField(default="")


class Letter(BaseModel):
    """A letter waiting to be printed, or printed in a batch. The code it carries is
    drawn when it is printed (only its hash is kept, on the space)."""

    space = ForeignKeyField(Space, backref="letters", on_delete="CASCADE")
    kind = CharField(choices=[(k, k) for k in LETTER_KINDS])
    queued_at = DateTimeField(default=utcnow)
    printed_at = DateTimeField(null=True)
    batch = ForeignKeyField(LetterBatch, null=True, backref="items", on_delete="SET NULL")

    class Meta:
        indexes = ((("printed_at", "id"), False),)

    @classmethod
    def pending(cls):
        """Letters not printed yet, oldest first."""
        return cls.select().where(cls.printed_at.is_null()).order_by(cls.id)
