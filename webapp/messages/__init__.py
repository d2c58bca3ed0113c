"""Secure messages between a space's holder side and professionals."""
