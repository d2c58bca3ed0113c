"""Who calls the API: the bearer token checked by the authorisation server (webapp.smart),
the SMART scopes it carries, and how often it may call."""

import time

from flask import current_app, request
from limits import parse as parse_rate
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webapp.fhir.errors import FhirError
from webapp.smart.resource import authenticate
from webapp.smart.scopes import permits

REALM = 'Bearer realm="fhir"'


def _limiter():
    ext = current_app.extensions.setdefault("fhir_rate", {})
    if "strategy" not in ext:
        ext["strategy"] = MovingWindowRateLimiter(
            storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"]))
    return ext["strategy"]


def throttle(caller):
    """429 when this app, for this person, called more than FHIR_RATE_LIMIT allows."""
    rule = parse_rate(current_app.config.get("FHIR_RATE_LIMIT", "600 per minute"))
    key = f"{caller.client_id}:{caller.user.id}"
    if not _limiter().hit(rule, "fhir", key):
        reset = _limiter().get_window_stats(rule, "fhir", key).reset_time
        raise FhirError(429, "throttled", "Too many requests for this app; retry later",
                        {"Retry-After": str(max(1, int(reset - time.time())))})


def context_of(caller):
    """'patient' for a citizen's app (its token names a space), else 'user'."""
    return "patient" if caller.space is not None else "user"


def allows(caller, resource, interaction):
    """True when the caller's scopes allow the interaction on the resource type."""
    return permits(caller.scopes, resource, interaction, context_of(caller))


def admit(resources, interaction):
    """The caller of this request when its token is valid (else 401) and its scopes cover
    the interaction on one of the resource types (else 403; None: any); 429 past the rate
    limit."""
    header = request.headers.get("Authorization", "")
    caller = authenticate(header) if header else None
    if caller is None:
        challenge = REALM + (', error="invalid_token"' if header else "")
        raise FhirError(401, "login", "A valid bearer access token is required"
                        if not header else "The access token is invalid, expired or revoked",
                        {"WWW-Authenticate": challenge})
    throttle(caller)
    context = context_of(caller)
    if resources != (None,) and not any(permits(caller.scopes, kind, interaction, context)
                                        for kind in resources):
        raise FhirError(403, "forbidden", f"The token's scopes do not allow {interaction!r} "
                        f"on {' or '.join(resources)} ({context}/ scopes)",
                        {"WWW-Authenticate": REALM + ', error="insufficient_scope"'})
    return caller
