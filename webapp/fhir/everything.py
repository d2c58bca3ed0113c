"""The whole space as one Bundle: the Patient, then every resource the access may read
(and, through the API, the token's scopes allow). Used by Patient/$everything; an
export can write the same Bundle as a file (`bundle(access, kind="collection")`)."""

from werkzeug.datastructures import MultiDict

from webapp.fhir import bundles, documents, patients
from webapp.fhir.kinds import KINDS
from webapp.scopes import Scope


def resources(access, allowed=lambda kind: True):
    """The Patient and the resources of the space the access sees, `allowed(kind)` for
    each resource type."""
    ref, found = access.space.ref, [patients.to_fhir(access.space)]
    if allowed("DocumentReference") and access.allows(Scope.DOCUMENTS_READ):
        found += [documents.to_fhir(d, ref) for d in documents.search(access, MultiDict())]
    for kind in KINDS.values():
        scopes = kind.read_scope if isinstance(kind.read_scope, tuple) else (kind.read_scope,)
        if allowed(kind.name) and any(access.allows(s) for s in scopes):
            found += [kind.to_fhir(row, ref, access) for row in kind.search(access, MultiDict())]
    return found


def bundle(access, allowed=lambda kind: True, kind="searchset"):
    """The Bundle of `resources`."""
    found = resources(access, allowed)
    return bundles.collection(len(found), found, kind=kind)
