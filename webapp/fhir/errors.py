"""Errors of the API as OperationOutcome, with the HTTP status FHIR asks for.

Diagnostics are written for the developers of the software that calls the API (English,
like the specification they read), never with a hint that a refused patient exists.
"""

from fhir.resources.R4B.operationoutcome import OperationOutcome
from flask import current_app

MEDIA_TYPE = "application/fhir+json; charset=utf-8"


class FhirError(Exception):
    """An error answered as an OperationOutcome: HTTP status, FHIR issue code, diagnostics."""

    def __init__(self, status, code, diagnostics, headers=None):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics = status, code, diagnostics
        self.headers = headers or {}


def invalid(diagnostics):
    """400: the request or its resource is not valid."""
    return FhirError(400, "invalid", diagnostics)


def not_found(diagnostics="Resource not found"):
    """404: nothing the token may see (absent and refused alike)."""
    return FhirError(404, "not-found", diagnostics)


def forbidden(diagnostics):
    """403: the token's scopes or the profession's rights do not cover this."""
    return FhirError(403, "forbidden", diagnostics)


def unprocessable(diagnostics):
    """422: a valid resource that the record's rules do not let through."""
    return FhirError(422, "business-rule", diagnostics)


def outcome(code, diagnostics, severity="error"):
    """An OperationOutcome with one issue."""
    return OperationOutcome.model_validate({
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}]})


def respond(resource, status=200, headers=None):
    """A response holding a FHIR resource (a model of fhir.resources) as JSON."""
    body = resource.model_dump_json(exclude_none=True)
    response = current_app.response_class(body, status=status, mimetype=None,
                                          content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def respond_error(error):
    """The response for a FhirError."""
    return respond(outcome(error.code, error.diagnostics), error.status, error.headers)


# HTTP status -> (issue code, diagnostics) for errors raised outside the FHIR views' code
HTTP_ISSUES = {
    400: ("invalid", "Bad request"),
    401: ("login", "A valid bearer access token is required"),
    403: ("forbidden", "The token's scopes do not cover this interaction"),
    404: ("not-found", "Resource not found"),
    405: ("not-supported", "Interaction not supported on this resource"),
    413: ("too-costly", "The request body is too large"),
    415: ("not-supported", "Send application/fhir+json"),
    429: ("throttled", "Too many requests; retry later"),
}
