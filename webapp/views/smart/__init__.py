"""SMART on FHIR: the authorisation server's endpoints and consent page, the apps a person
has connected, and the admins' register of apps and software."""
