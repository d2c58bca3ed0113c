"""Assisted access: mandates for France Services mediators and family caregivers, their
consent, their offices."""
