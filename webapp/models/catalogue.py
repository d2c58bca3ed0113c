"""The catalogue of referenced apps, and the apps a citizen has connected to a space."""

import unicodedata

from flask_babel import lazy_gettext as _l
from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from webapp.db import BaseModel, utcnow
from webapp.models.accounts import User
from webapp.models.spaces import Space
from webapp.scopes import Scope

# Stable codes (stored, used in URLs) and their translated labels, in display order.
CATEGORIES = {
    "prevention": _l("Prévention"),
    "chronic": _l("Suivi des maladies chroniques"),
    "family": _l("Grossesse et enfants"),
    "mental": _l("Santé mentale"),
    "teleconsultation": _l("Téléconsultation"),
    "booking": _l("Prise de rendez-vous"),
    "medication": _l("Médicaments"),
    "activity": _l("Activité physique"),
}

# What a connected app may do in a space; never privacy, settings or messages.
APP_SCOPES = {
    Scope.DOCUMENTS_READ: _l("Lire vos documents de santé"),
    Scope.DOCUMENTS_ADD: _l("Ajouter des documents à votre espace"),
    Scope.PROFILE_READ: _l("Lire votre profil médical (antécédents, allergies, traitements, "
                           "mesures)"),
    Scope.PROFILE_WRITE: _l("Ajouter des mesures à votre profil médical"),
    Scope.AGENDA_READ: _l("Lire votre agenda de santé"),
    Scope.AGENDA_WRITE: _l("Ajouter des rendez-vous à votre agenda"),
}

# Status of the app's accessibility statement (RGAA wording).
ACCESSIBILITY = {
    "full": _l("Totalement conforme"),
    "partial": _l("Partiellement conforme"),
    "none": _l("Non conforme"),
    "unknown": _l("Déclaration d'accessibilité non publiée"),
}


def category_label(code):
    """The translated label of a category code (the code itself when unknown)."""
    return CATEGORIES.get(code, code)


def scope_labels(codes):
    """Translated descriptions of scope codes, in the usual order."""
    codes = set(codes)
    return [APP_SCOPES[s] for s in APP_SCOPES if s in codes]


def search_form(text):
    """Text folded for searching: lower case, without accents ("Écoute" finds "ecoute")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class CatalogueApp(BaseModel):
    """An app referenced in the catalogue: who publishes it and what it asks for."""

    slug = CharField(unique=True)
    name = CharField()
    publisher = CharField()
    category = CharField(index=True, choices=[(c, c) for c in CATEGORIES])
    summary = CharField(max_length=300)
    description = TextField(default="")
    website = CharField(default="")
    scopes = CharField(default="")  # space-separated codes of APP_SCOPES
    referenced_at = DateField()
    accessibility = CharField(default="unknown", choices=[(c, c) for c in ACCESSIBILITY])
    active = BooleanField(default=True)
    search_key = TextField(default="")  # name, publisher and summary folded by search_form
    created_at = DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        """Keep the search key in step with the searchable fields."""
        self.search_key = search_form(" ".join((self.name, self.publisher, self.summary)))
        return super().save(*args, **kwargs)

    @classmethod
    def search(cls, query, text):
        """Narrow a query to apps whose name, publisher or summary contains the text."""
        for word in search_form(text).split():
            query = query.where(cls.search_key.contains(word))
        return query

    @property
    def scope_set(self):
        """The scopes asked for, as a frozenset of codes (unknown codes dropped)."""
        return frozenset(s for s in self.scopes.split() if s in APP_SCOPES)

    @property
    def category_label(self):
        """The category, translated."""
        return category_label(self.category)

    @property
    def accessibility_label(self):
        """The accessibility statement status, translated."""
        return ACCESSIBILITY.get(self.accessibility, ACCESSIBILITY["unknown"])

    @classmethod
    def listed(cls):
        """Apps shown in the catalogue, by name."""
        return cls.select().where(cls.active == True).order_by(cls.name)  # noqa: E712


class AppConnection(BaseModel):
    """An app connected to a space with the scopes granted; ended by disconnecting."""

    space = ForeignKeyField(Space, backref="app_connections", on_delete="CASCADE")
    app = ForeignKeyField(CatalogueApp, backref="connections", on_delete="CASCADE")
    scopes = CharField(default="")  # space-separated codes granted at connection
    connected_by = ForeignKeyField(User, null=True, backref="app_connections_made",
                                   on_delete="SET NULL")
    connected_at = DateTimeField(default=utcnow)
    disconnected_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("space", "app"), False),)

    @property
    def scope_set(self):
        """The scopes granted, as a frozenset of codes."""
        return frozenset(self.scopes.split())

