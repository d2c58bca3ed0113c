"""What a person typed in a form sent after their session ended: kept, encrypted, for an
hour, for this browser and this account only."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User


class KeptForm(BaseModel):
    """The fields of one form (sealed by webapp.crypto), the page to show them again on,
    the SHA-256 of the browser's random id, and the account they belong to."""

    user = ForeignKeyField(User, backref="kept_forms", on_delete="CASCADE")
    browser_hash = CharField(index=True)
    page_path = TextField()
    sealed = TextField()
    files_dropped = IntegerField(default=0)  # chosen files are never kept: say so
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(index=True)

    @classmethod
    def usable(cls, now=None):
        """Kept forms not expired."""
        return cls.select().where(cls.expires_at > (now or utcnow()))
