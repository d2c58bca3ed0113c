"""Files received with a form that came back with an error: kept for that form (an
hour at most), not in the record, so that nobody has to choose the file again."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space


class ReceivedFile(BaseModel):
    """A stored file (webapp.storage, encrypted like the others) waiting for its form:
    bound to the account that sent it, the space and the form; `token` is what the form
    sends back."""

    token = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, backref="received_files", on_delete="CASCADE")
    space = ForeignKeyField(Space, backref="received_files", on_delete="CASCADE")
    form = CharField(max_length=64)  # the endpoint of the form, e.g. "documents.add"
    sha256 = CharField(max_length=64)  # storage.is_referenced() sees it: kept while here
    size = IntegerField()
    mime = CharField()
    filename = CharField(default="")
    created_at = DateTimeField(default=utcnow, index=True)
