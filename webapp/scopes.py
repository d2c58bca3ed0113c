"""What can be done on a space (scopes) and in which capacity someone does it.

Shared by the models, the policy and the views; imports nothing of the application.
"""

from enum import StrEnum


class Scope(StrEnum):
    """Things one can do on a space. Mandates and apps grant a subset of these."""

    SPACE_VIEW = "space.view"
    DOCUMENTS_READ = "documents.read"
    DOCUMENTS_ADD = "documents.add"
    DOCUMENTS_MANAGE = "documents.manage"
    PROFILE_READ = "profile.read"
    PROFILE_WRITE = "profile.write"
    AGENDA_READ = "agenda.read"
    AGENDA_WRITE = "agenda.write"
    MESSAGES_READ = "messages.read"
    MESSAGES_REPLY = "messages.reply"
    SETTINGS_READ = "settings.read"
    SETTINGS_WRITE = "settings.write"
    PRIVACY = "privacy"  # access history, blocking, mandates, emergency, export, closing, apps


class Capacity(StrEnum):
    """In which capacity someone acts on a space."""

    OWNER = "owner"
    GUARDIAN = "guardian"
    MEDIATOR = "mediator"
    CAREGIVER = "caregiver"
    PROFESSIONAL = "professional"
    APP = "app"
    SYSTEM = "system"
    # Signed in without a grant on the space: answering an invitation to it, or refused.
    CITIZEN = "citizen"
    ADMIN = "admin"


ALL_SCOPES = frozenset(Scope)
HOLDER_SIDE = frozenset({Capacity.OWNER, Capacity.GUARDIAN})
ASSISTED = frozenset({Capacity.MEDIATOR, Capacity.CAREGIVER})
# The holder's side and the people acting for them: the pages of the citizen's own side.
HOLDER_AND_HELPERS = HOLDER_SIDE | ASSISTED
PROFESSIONALS = frozenset({Capacity.PROFESSIONAL})
# What a mediator's mandate may ever hold: never PRIVACY nor DOCUMENTS_MANAGE.
MEDIATOR_GRANTABLE = frozenset({
    Scope.DOCUMENTS_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_READ, Scope.AGENDA_READ,
    Scope.AGENDA_WRITE, Scope.MESSAGES_READ, Scope.MESSAGES_REPLY, Scope.SETTINGS_READ,
    Scope.SETTINGS_WRITE})
CAREGIVER_SCOPES = frozenset({
    Scope.DOCUMENTS_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_READ, Scope.AGENDA_READ,
    Scope.AGENDA_WRITE, Scope.MESSAGES_READ, Scope.MESSAGES_REPLY})
PROFESSIONAL_SCOPES = frozenset({
    Scope.DOCUMENTS_READ, Scope.DOCUMENTS_ADD, Scope.PROFILE_READ, Scope.PROFILE_WRITE,
    Scope.AGENDA_WRITE, Scope.MESSAGES_READ, Scope.MESSAGES_REPLY})
# A professional's emergency access reads, never writes.
EMERGENCY_SCOPES = frozenset({Scope.DOCUMENTS_READ, Scope.PROFILE_READ})
