"""Numbers that identify professionals and the places where they practise, with their keys:
RPPS (11 digits, Luhn), FINESS (9 characters, Luhn), SIRET (14 digits, Luhn; La Poste's
establishments add up to a multiple of 5 instead)."""

import re

LA_POSTE_SIREN = "356000000"


def digits_only(value):
    """The number without spaces, dots or dashes."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def luhn_ok(number):
    """True when the digits pass the Luhn check (the last one is the key)."""
    if not number.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def luhn_key(body):
    """The Luhn key to append to these digits (to build demo numbers)."""
    return next(str(k) for k in range(10) if luhn_ok(body + str(k)))


def rpps_ok(value):
    """An RPPS number: 11 digits whose last is the Luhn key of the ten before."""
    return bool(re.fullmatch(r"\d{11}", value or "")) and luhn_ok(value)


def finess_ok(value):
    """A FINESS number: the department (2A/2B in Corsica), 6 digits and a Luhn key. The
    key of Corsica's numbers, which hold letters, is not checked."""
    if not re.fullmatch(r"(\d{2}|2A|2B)\d{7}", value or ""):
        return False
    return value[:2] in ("2A", "2B") or luhn_ok(value)


def siret_ok(value):
    """A SIRET number: 14 digits, Luhn key (La Poste: the digits add up to a multiple of 5)."""
    if not re.fullmatch(r"\d{14}", value or ""):
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value)
