"""FranceConnect for citizens: the identity it gives is matched to a space by the INS
reference traits, and linked to the space holder's account only once the holder proved
it is theirs (see docs/national-signin.md)."""

import datetime as dt
import re
import unicodedata

from peewee import IntegrityError

from webapp import audit, signals
from webapp.audit import Action
from webapp.db import after_commit, transaction, utcnow
from webapp.models.external_identities import ExternalIdentity
from webapp.models.spaces import Space
from webapp.scopes import Capacity

FRANCE = "99100"  # FranceConnect's birthcountry for people born in France
SEXES = {"female": "F", "male": "M"}
SIGNABLE = ("active", "closed")  # spaces one signs into, as with a password


def fold(name):
    """A name compared as identity vigilance does: no accents, case, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[-'’]", " ", plain).split())


def traits_of(claims):
    """The INS traits in FranceConnect's claims: (birth name, given names, birth date, sex,
    birth place as an INSEE code: the commune, or the country when born abroad); None
    when one is missing or malformed."""
    try:
        birth_date = dt.date.fromisoformat(claims.get("birthdate") or "")
    except ValueError:
        return None
    country = claims.get("birthcountry") or FRANCE
    place = claims.get("birthplace") if country == FRANCE else country
    traits = (fold(claims.get("family_name")), fold(claims.get("given_name")), birth_date,
              SEXES.get(claims.get("gender")), place or "")
    return traits if all(traits) else None


def _space_traits(space):
    names = space.birth_first_names or space.birth_first_name or space.first_name
    return (fold(space.birth_name or space.last_name), fold(names), space.birth_date,
            space.sex, space.birth_place)


def matching_spaces(claims):
    """Every space whose five reference traits are the identity's (a space whose birth place
    is unknown matches nobody: four traits are not enough)."""
    traits = traits_of(claims)
    if traits is None:
        return []
    candidates = Space.select().where((Space.birth_date == traits[2]) & (Space.sex == traits[3]))
    return [s for s in candidates if s.birth_place and _space_traits(s) == traits]


def outcome(identity):
    """What this identity leads to: ("linked", link), ("confirm", space), ("not_activated",
    space) or ("none", None) (nobody, several spaces, or a space never opened)."""
    link = ExternalIdentity.find(identity.provider, identity.subject)
    if link is not None:
        return "linked", link
    spaces = matching_spaces(identity.claims)
    if len(spaces) != 1:
        return "none", None
    space = spaces[0]
    if space.state in SIGNABLE and space.owner_id and space.owner.role == "citizen":
        if ExternalIdentity.select().where((ExternalIdentity.provider == identity.provider)
                                           & (ExternalIdentity.user == space.owner)).exists():
            return "none", None  # the account is linked to another FranceConnect identity
        return "confirm", space
    if space.state == "created":
        return "not_activated", space
    return "none", None


def link(identity, space, now=None):
    """Link the space holder's account to this identity, in the space's access history;
    None when the identity or the account got another link meanwhile (another tab)."""
    now = now or utcnow()
    user = space.owner
    existing = ExternalIdentity.find(identity.provider, identity.subject)
    if existing is not None:
        return existing if existing.user_id == user.id else None
    try:
        with transaction():
            row = ExternalIdentity.create(user=user, provider=identity.provider,
                                          subject=identity.subject, created_at=now,
                                          last_used_at=now)
            audit.write(space, action=Action.FRANCECONNECT_LINK, capacity=Capacity.OWNER,
                        actor=user, target=row, detail=identity.provider)
            after_commit(lambda: signals.identity_linked.send(user, provider=identity.provider))
    except IntegrityError:
        return None
    return row


def used(row, now=None):
    """Remember when the link last signed someone in."""
    row.last_used_at = now or utcnow()
    row.save(only=[ExternalIdentity.last_used_at])
