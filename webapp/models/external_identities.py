"""Links between an account and a national identity provider (FranceConnect, Pro Santé
Connect): the provider's stable subject for the person, proven once by the holder."""

from peewee import CharField, DateTimeField, ForeignKeyField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User


class ExternalIdentity(BaseModel):
    """This account signs in with this provider's subject (`sub`), without a password."""

    user = ForeignKeyField(User, backref="external_identities", on_delete="CASCADE")
    provider = CharField(max_length=32)
    subject = CharField()
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("provider", "subject"), True), (("provider", "user"), True))

    @classmethod
    def find(cls, provider, subject):
        """The link of this provider's subject, or None."""
        return cls.get_or_none((cls.provider == provider) & (cls.subject == subject))
