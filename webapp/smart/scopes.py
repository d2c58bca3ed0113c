"""SMART App Launch v2 scopes: parsing, what they allow, and how they read in plain words.

A resource scope is `<context>/<Resource>.<permissions>`: context `patient` (a citizen's
space, chosen at authorisation) or `user` (what the professional may see); `system/` is
not offered (no backend access without a person). Permissions are the letters of `cruds`
in that order (create, read, update, delete, search), e.g. `patient/Observation.crs`.
Besides: `launch/patient` (the token says which patient), `openid` and `fhirUser`,
`offline_access` (a refresh token).
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

CONTEXTS = ("patient", "user")
PERMISSIONS = "cruds"
# The FHIR resources the API serves, and how they read in a sentence.
RESOURCES = {
    "Patient": (_l("votre identité (nom, date de naissance, INS)"),
                _l("l'identité de vos patients (nom, date de naissance, INS)")),
    "DocumentReference": (_l("vos documents de santé"), _l("les documents de vos patients")),
    "Binary": (_l("le contenu des fichiers de vos documents"),
               _l("le contenu des fichiers des documents de vos patients")),
    "Observation": (_l("vos mesures (poids, taille, tension, glycémie…)"),
                    _l("les mesures de vos patients (poids, taille, tension…)")),
    "AllergyIntolerance": (_l("vos allergies"), _l("les allergies de vos patients")),
    "Immunization": (_l("vos vaccinations"), _l("les vaccinations de vos patients")),
    "Appointment": (_l("vos rendez-vous"), _l("les rendez-vous de vos patients")),
    "Communication": (_l("vos messages de professionnels"),
                      _l("les messages à vos patients")),
    "AuditEvent": (_l("l'historique des accès à votre espace"),
                   _l("l'historique des accès aux espaces de vos patients")),
}
VERBS = {"c": _l("ajouter"), "r": _l("lire"), "u": _l("modifier"), "d": _l("supprimer"),
         "s": _l("rechercher dans")}
SPECIAL = {
    "launch/patient": _l("Savoir de quel espace il s'agit (l'identifiant de l'espace choisi)"),
    "openid": _l("Vous reconnaître (votre identifiant de connexion)"),
    "fhirUser": _l("Connaître votre identité de connexion (qui vous êtes dans l'API)"),
    "offline_access": _l("Garder l'accès sans vous redemander de vous connecter, jusqu'à ce "
                         "que vous le retiriez"),
}
# What a resource scope amounts to among the space's own scopes (webapp.scopes), for the
# catalogue's record of a connection: (when read or searched, when created or updated).
SPACE_SCOPES = {
    "DocumentReference": ("documents.read", "documents.add"),
    "Binary": ("documents.read", "documents.add"),
    "Observation": ("profile.read", "profile.write"),
    "AllergyIntolerance": ("profile.read", "profile.write"),
    "Immunization": ("profile.read", "profile.write"),
    "Appointment": ("agenda.read", "agenda.write"),
}
_RESOURCE_SCOPE = re.compile(r"^(patient|user|system)/([A-Za-z*]+)\.([a-z]+)$")


@dataclass(frozen=True)
class ResourceScope:
    """One parsed `<context>/<Resource>.<permissions>` scope."""

    context: str
    resource: str
    permissions: str  # letters of "cruds", in that order

    def __str__(self):
        return f"{self.context}/{self.resource}.{self.permissions}"


def parse(text):
    """The ResourceScope of a resource scope, the text itself for a special scope, None
    when the server does not offer it (unknown, system/, wrong letters or order)."""
    if text in SPECIAL:
        return text
    match = _RESOURCE_SCOPE.match(text or "")
    if not match:
        return None
    context, resource, letters = match.groups()
    if context not in CONTEXTS or resource not in RESOURCES or not _ordered(letters):
        return None
    return ResourceScope(context, resource, letters)


def _ordered(letters):
    """True for a non-empty subsequence of "cruds" (each letter once, in that order)."""
    position = 0
    for letter in letters:
        found = PERMISSIONS.find(letter, position)
        if found < 0:
            return False
        position = found + 1
    return bool(letters)


def split(text):
    """(offered, refused): the scopes of a request the server knows, in order, without
    repeats, and those it does not."""
    offered, unknown = [], []
    for word in (text or "").split():
        target = offered if parse(word) is not None else unknown
        if word not in target:
            target.append(word)
    return offered, unknown


def context_of(scopes):
    """The context the scopes call for: "patient", "user", or None (none, or both)."""
    contexts = {s.context for s in map(parse, scopes) if isinstance(s, ResourceScope)}
    return contexts.pop() if len(contexts) == 1 else None


def permits(scopes, resource, interaction, context=None):
    """True when one of the granted scopes allows `interaction` (a letter of "cruds") on
    `resource` (in `context` when given)."""
    for scope in map(parse, scopes):
        if isinstance(scope, ResourceScope) and scope.resource == resource \
                and interaction in scope.permissions \
                and (context is None or scope.context == context):
            return True
    return False


def describe(text):
    """The scope in plain words (translated), e.g. "Lire et rechercher dans vos mesures"."""
    scope = parse(text)
    if scope is None:
        return text
    if isinstance(scope, str):
        return SPECIAL[scope]
    verbs = [str(VERBS[letter]) for letter in scope.permissions]
    joined = verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + " " + str(_l("et")) + \
        " " + verbs[-1]
    what = RESOURCES[scope.resource][0 if scope.context == "patient" else 1]
    return f"{joined[0].upper()}{joined[1:]} {what}"


def table():
    """Rows (scope, plain words) of every resource with its full permissions, and the
    special scopes: the table of docs/api.md."""
    rows = [(f"{c}/{r}.cruds", describe(f"{c}/{r}.cruds")) for c in CONTEXTS for r in RESOURCES]
    return rows + [(s, describe(s)) for s in SPECIAL]


def space_scopes(granted):
    """The space's scope codes (webapp.scopes.Scope values) the granted scopes amount to."""
    codes = set()
    for scope in map(parse, granted):
        if isinstance(scope, ResourceScope) and scope.resource in SPACE_SCOPES:
            read, write = SPACE_SCOPES[scope.resource]
            if set(scope.permissions) & set("rs"):
                codes.add(read)
            if set(scope.permissions) & set("cu"):
                codes.add(write)
    return codes


def covered(scope, registered):
    """True when `scope` is among those registered, or is a resource scope whose
    letters the registered scopes of its context and resource hold together (asking for
    `patient/Observation.rs` when `patient/Observation.crs` is registered)."""
    if scope in registered:
        return True
    parsed = parse(scope)
    if not isinstance(parsed, ResourceScope):
        return False
    letters = set()
    for other in map(parse, registered):
        if isinstance(other, ResourceScope) and (other.context, other.resource) == (
                parsed.context, parsed.resource):
            letters |= set(other.permissions)
    return set(parsed.permissions) <= letters
