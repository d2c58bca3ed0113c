"""Letters that carry activation codes: queued (a new space, a lost code, a young adult
taking over their space at 18), then printed in batches by a command.

A letter's code is drawn when it is printed: only its argon2 hash is kept, on the space
(Space.activation_code_hash), and the previous code stops working. A new code asked for
stops the old one at once; the space waits for its letter meanwhile.
"""

import datetime as dt

from webapp.accounts import lifecycle
from webapp.db import transaction, utcnow
from webapp.models.letters import Letter, LetterBatch, PostalAddress
from webapp.models.spaces import Space
from webapp.security import hasher

CODE_VALID = dt.timedelta(days=365)
TAKE_OVER_WINDOW = 2  # years after the 18th birthday that hand-over still looks back


def queue(space, kind, now=None):
    """Queue a letter for this space (one waiting letter per space at most)."""
    waiting = Letter.pending().where(Letter.space == space).first()
    return waiting or Letter.create(space=space, kind=kind, queued_at=now or utcnow())


def request_new_code(nir, birth_date, postal_code, now=None):
    """A person lost their code: when the NIR, birth date and postal code of the address
    on file match a space still to be activated by its holder, the old code stops working
    and a new letter is queued. True when queued; the caller says the same either way."""
    space = lifecycle.find_space(nir, birth_date)
    address = PostalAddress.get_or_none(PostalAddress.space == space) if space else None
    if address is None or address.postal_code != postal_code.strip():
        return False
    if space.owner_id is not None or space.state not in ("created", "active") \
            or space.is_minor((now or utcnow()).date()):
        return False
    with transaction():
        space.activation_code_hash, space.activation_attempts = None, 0
        space.save(only=[Space.activation_code_hash, Space.activation_attempts])
        queue(space, "new_code", now)
    return True


def hand_over_adults(today=None):
    """Queue their own activation letter for those who turned 18 and whose space was
    created while they were minors (managed by their representatives, or imported as
    children); once per space. Returns how many were queued."""
    today = today or dt.date.today()
    latest_birth = _years_before(today, 18)
    earliest_birth = _years_before(today, 18 + TAKE_OVER_WINDOW)
    had_letter = Letter.select(Letter.space).where(Letter.kind == "adult")
    candidates = Space.select().where(
        Space.owner.is_null() & Space.state.in_(("created", "active"))
        & (Space.birth_date <= latest_birth) & (Space.birth_date > earliest_birth)
        & Space.id.not_in(had_letter))
    queued = 0
    for space in candidates:
        if space.created_at.date() >= space.adult_on():
            continue  # created as an adult: their first letter was an activation letter
        with transaction():
            space.activation_code_hash, space.activation_attempts = None, 0
            space.save(only=[Space.activation_code_hash, Space.activation_attempts])
            Letter.create(space=space, kind="adult", queued_at=utcnow())
        queued += 1
    return queued


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def printable(limit=None):
    """Waiting letters whose space has a postal address, with the space and address."""
    query = (Letter.pending().select(Letter, Space, PostalAddress)
             .join(Space).join(PostalAddress, on=(PostalAddress.space == Space.id),
                               attr="address"))
    return list(query.limit(limit) if limit else query)


def issue(letters, deliver=None, file_name="", now=None):
    """Draw each letter's code, store its hash on the space (the previous code stops
    working) and mark the letters printed in a new batch. The codes exist only in memory:
    deliver([(letter, code)]) writes the pages before the commit, so that a failure there
    changes nothing. Returns (batch, [(letter, code)])."""
    now = now or utcnow()
    issued = []
    with transaction():
        batch = LetterBatch.create(created_at=now, letters=len(letters), file_name=file_name)
        for letter in letters:
            code = lifecycle.new_code()
            space = letter.space
            space.activation_code_hash = hasher().hash(code)
            space.activation_attempts, space.activation_expires_at = 0, now + CODE_VALID
            space.save(only=[Space.activation_code_hash, Space.activation_attempts,
                             Space.activation_expires_at])
            letter.printed_at, letter.batch = now, batch
            letter.save(only=[Letter.printed_at, Letter.batch])
            issued.append((letter, code))
        if deliver is not None:
            deliver(issued)
    return batch, issued


def waiting_without_address():
    """How many waiting letters cannot be printed: the space has no postal address."""
    return Letter.pending().where(Letter.space.not_in(
        PostalAddress.select(PostalAddress.space))).count()
