"""The request's access to the patient's space, opened as pages open it: the token's
person and, for a citizen's app, only the space the token was granted for."""

import json

from flask import g, request
from pydantic import ValidationError
from werkzeug.exceptions import NotFound

from webapp.access import Access
from webapp.fhir.errors import FhirError, invalid, not_found

MAX_REF = 16


def patient_ref(value):
    """The space reference in "ref", "Patient/ref" or ".../fhir/Patient/ref", or ''."""
    value = (value or "").strip()
    if "/" in value:
        head, _, ref = value.rpartition("/")
        if not (head == "Patient" or head.endswith("/Patient")):
            return ""
        value = ref
    return value if 0 < len(value) <= MAX_REF and value.isalnum() else ""


def requested_ref(caller, args):
    """The patient a search is about: `patient` or `subject`, else the token's own space."""
    named = args.get("patient") or args.get("subject")
    if named is not None:
        ref = patient_ref(named)
        if not ref:
            raise not_found("No such patient")
        return ref
    if caller.space is None:
        raise invalid("Name the patient: patient=Patient/<id> (find the id by INS: "
                      "GET Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|<NIR>)")
    return caller.space.ref


def open_access(caller, ref, scope):
    """The request's Access to this patient's space when the policy allows the scope (or
    the first of several it allows); else 404, logged as refused in that space's history,
    as a page would."""
    if caller.space is not None and ref != caller.space.ref:
        raise not_found("No such patient")
    if caller.space is not None:  # the grant the token was checked with: decided once
        access = Access(caller.user, caller.space, caller.grant)
    else:
        access = Access.open(caller.user, ref)
    access.app_name = caller.client_name
    g.access = access
    scopes = scope if isinstance(scope, tuple) else (scope,)
    try:
        access.require(next((s for s in scopes if access.allows(s)), scopes[0]))
    except NotFound:
        raise not_found("No such patient") from None
    return access


def read_resource(model, expected):
    """The request body as a resource of this type (a model of fhir.resources); 400 with
    the library's diagnostics when it is not valid JSON or not a valid resource."""
    try:
        data = json.loads(request.get_data(cache=False) or b"")
    except (ValueError, UnicodeDecodeError):
        raise invalid("The body is not valid JSON") from None
    if not isinstance(data, dict):
        raise invalid("The body must be a JSON object, a FHIR resource")
    if data.get("resourceType") != expected:
        raise invalid(f"Expected a {expected} resource, got resourceType "
                      f"{str(data.get('resourceType'))[:40]!r}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                            for e in error.errors()[:5])
        raise invalid(f"Invalid {expected}: {details}"[:1000]) from None
    except (ValueError, TypeError) as error:
        raise invalid(f"Invalid {expected}: {str(error)[:300]}") from None


def too_large(diagnostics):
    """413 for a file or body over the limit."""
    return FhirError(413, "too-costly", diagnostics)
