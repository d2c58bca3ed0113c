"""The authorisation server of the API: SMART App Launch on OAuth 2 (with Authlib).

`scopes` parses SMART v2 scopes and says them in plain words, `clients` registers and
suspends clients, `tokens` hashes and issues tokens, `resource` authenticates an API
request (the contract of webapp/fhir), `server` is Authlib's authorisation server with
our grants, `consents` records what a person accepted and revokes it.
"""
