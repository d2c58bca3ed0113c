"""Finding patients by INS through the API, as a professional finds them on the pages:
only a space whose policy grants the caller, anything else answers "nobody" the same
way. Each look-up by a professional's software is kept (PatientLookup), is in the found
or refusing space's history (under the software's name), and fruitless ones count
towards the same limit as the pages' (ten in fifteen minutes)."""

from flask import g
from werkzeug.exceptions import NotFound

from webapp.access import Access
from webapp.db import transaction
from webapp.fhir.errors import FhirError, invalid
from webapp.fhir.patients import parse_identifier
from webapp.models.pro import PatientLookup
from webapp.policy import proofs
from webapp.pro.patients import FRUITLESS
from webapp.scopes import Scope


def _matches(space, identifiers, ids):
    for oid, matricule in identifiers:
        if space.nir != matricule or (oid is not None and oid != (space.ins_oid or "")):
            return False
    return all(space.ref == i for i in ids)


def find_patients(caller, args):
    """The spaces matching `identifier` and `_id` that the caller may see (0 or 1)."""
    identifiers = [parse_identifier(v) for v in args.getlist("identifier")]
    ids = args.getlist("_id")
    if caller.space is not None:  # a citizen's app: its one space, if it matches
        space = caller.space
        if not _matches(space, identifiers, ids):
            return []
        return _admitted(caller, space)
    if not identifiers and not ids:
        raise invalid("Search patients by identifier=urn:oid:1.2.250.1.213.1.4.8|<NIR> "
                      "(or _id)")
    user = caller.user
    if user.role == "professional" and FRUITLESS.blocked(str(user.id)):
        PatientLookup.create(professional=user, method="ins", outcome="limited")
        raise FhirError(429, "throttled", "Too many fruitless patient look-ups; retry in "
                        f"{FRUITLESS.retry_minutes(str(user.id))} minutes")
    found = [] if any(oid == "" for oid, _m in identifiers) \
        else proofs.spaces_by_ins(identifiers, ids)
    admitted = _admitted(caller, found[0]) if len(found) == 1 else []
    if user.role == "professional":
        outcome = "found" if admitted else ("refused" if found else "not_found")
        with transaction():
            PatientLookup.create(professional=user, method="ins", outcome=outcome,
                                 space=admitted[0] if admitted else None)
        if not admitted:
            FRUITLESS.fail(str(user.id))
    return admitted


def _admitted(caller, space):
    """[space] when the policy lets the caller see it (the request's entry in its
    history), else [] (logged as refused there)."""
    access = Access.open(caller.user, space.ref)
    access.app_name = caller.client_name
    g.access = access
    try:
        access.require(Scope.SPACE_VIEW)
    except NotFound:
        return []
    access.note(target=space, detail="api:Patient?identifier")
    return [access.space]
