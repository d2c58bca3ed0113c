"""Notifications: they say what kind of event happened, never any medical content.

events: what each event is called and says; preferences: who wants what; queue: the
outbox rows; handlers: the receivers of webapp.signals that queue them.
"""
