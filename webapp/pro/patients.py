"""Finding a patient by their national health identity, and declaring the care relation
with the patient present.

A look-up finds a space only when it is open to professionals and its holder has not
blocked the professional; anything else answers "nobody" the same way. Every look-up is
kept (PatientLookup); one that reached a person's space is in that space's history, and
refused, fruitless or ambiguous look-ups are counted: ten in fifteen minutes and the
professional waits.
"""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from webapp import audit, policy, signals
from webapp.access import Access
from webapp.audit import Action
from webapp.db import after_commit, transaction
from webapp.models.documents import fold
from webapp.models.pro import PatientLookup
from webapp.models.spaces import CareRelation, Space
from webapp.pro.accounts import signature
from webapp.ratelimit import Attempts
from webapp.scopes import Capacity

FRUITLESS = Attempts("patient-lookup", "10 per 15 minutes")
TOKEN_AGE = 15 * 60  # seconds the patient's presence at the look-up stands for


@dataclass(frozen=True)
class Result:
    """What a look-up came to: an outcome, and the space when one was found."""

    outcome: str  # found, not_found, ambiguous, limited
    space: Space | None = None
    follows: bool = False


def _reachable(professional, space):
    return space.id in policy.reachable_among(professional, [space])


def _note_in_history(professional, space, allowed):
    """The person's history says a professional looked them up (found or refused)."""
    place = signature(professional)
    audit.write(space, action=Action.CARE_LOOKUP, capacity=Capacity.PROFESSIONAL,
                actor=professional, allowed=allowed, target=space, detail="ins",
                office_name=place.name if place else "")


def _conclude(professional, method, candidates):
    ids = policy.reachable_among(professional, candidates)
    reachable = [s for s in candidates if s.id in ids]
    refused = [s for s in candidates if s not in reachable and policy.space_is_open(s)]
    if len(reachable) > 1:
        result = Result("ambiguous")
    elif reachable:
        space = reachable[0]
        result = Result("found", space, policy.follows(professional, space))
    else:
        result = Result("not_found")
    outcome = "refused" if refused and result.outcome == "not_found" else result.outcome
    with transaction():
        PatientLookup.create(professional=professional, method=method, outcome=outcome,
                             space=result.space)
        for space in refused + ([result.space] if result.space else []):
            _note_in_history(professional, space, allowed=space is result.space)
    if result.outcome in ("not_found", "ambiguous"):  # both told nothing of the person
        FRUITLESS.fail(str(professional.id))
    return result


def _limited(professional, method):
    if not FRUITLESS.blocked(str(professional.id)):
        return None
    PatientLookup.create(professional=professional, method=method, outcome="limited")
    return Result("limited")


def by_ins(professional, matricule, birth_date):
    """The patient with this matricule (NIR or NIA) and birth date."""
    limited = _limited(professional, "ins")
    if limited:
        return limited
    candidates = list(Space.select().where((Space.nir == matricule)
                                           & (Space.birth_date == birth_date)))
    return _conclude(professional, "ins", candidates)


def by_traits(professional, birth_name, first_name, birth_date, sex):
    """The one patient with these reference traits (birth name, a given name at birth,
    birth date and sex), compared without accents or case; several: ambiguous."""
    limited = _limited(professional, "traits")
    if limited:
        return limited
    name, given = fold(birth_name).strip(), fold(first_name).strip()
    candidates = [
        s for s in Space.select().where((Space.birth_date == birth_date) & (Space.sex == sex))
        if fold(s.birth_name or s.last_name) == name
        and given in {fold(n) for n in ((s.birth_first_names or "").split()
                                        + [s.birth_first_name, s.first_name]) if n}]
    return _conclude(professional, "traits", candidates)


def retry_minutes(professional):
    """Minutes before a professional who looked up in vain too often may try again."""
    return FRUITLESS.retry_minutes(str(professional.id))


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="care-relation")


def presence_token(professional, space):
    """Carries a successful look-up to the declaration form, for a quarter of an hour."""
    return _serializer().dumps([professional.id, space.id])


def space_of_token(professional, token):
    """The space a recent look-up of this professional found, or None."""
    try:
        pro_id, space_id = _serializer().loads(token or "", max_age=TOKEN_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if pro_id != professional.id:
        return None
    space = Space.get_or_none(Space.id == space_id)
    return space if space is not None and _reachable(professional, space) else None


def declare(professional, space):
    """The professional follows the patient from now (the patient was informed and does
    not object): in the patient's history and professionals at once, and notified.
    Returns the request's access to the space, or None when it is no longer reachable."""
    with transaction():
        relation, created = CareRelation.get_or_create(professional=professional, space=space)
        access = Access(professional, space, policy.grant_for(professional, space))
        if access.grant is None:  # blocked or closed meanwhile
            if created:
                relation.delete_instance()
            return None
        access.log(Action.CARE_DECLARE, relation, "informed")
        after_commit(lambda: signals.care_declared.send(relation))
    return access
