"""Accounts and the life of a space: activation, objection, closing, e-mail and password
changes, and the export of "my data"."""
