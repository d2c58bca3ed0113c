"""The FHIR R4 (4.0.1) API: resources mapped onto the record, searches and their pages,
errors as OperationOutcome. Resources are parsed and written with fhir.resources' R4B
models; what they do not know of French practice (INS identifiers) lives in `patients`.

The views (webapp/views/fhir.py) decide as pages do: a bearer token (webapp.smart) names
the person and the app, its SMART scopes must cover the interaction (`guards.api`), then
the request's `Access` to the patient's space asks the same policy as the pages.
"""
