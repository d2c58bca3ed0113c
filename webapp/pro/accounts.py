"""Professionals' accounts: an admin creates them (RPPS, profession, place of practice) and
deactivates them; the new professional chooses a password through a link sent by e-mail.
How a professional signs the patients' access history (profession and place) is here too.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale
from peewee import JOIN

from webapp import signals
from webapp.db import after_commit, transaction, utcnow
from webapp.models.accounts import User, UserSession
from webapp.models.pro import Practice, ProInvitation, Structure
from webapp.pro import professions
from webapp.security import hash_password

INVITATION_VALID = dt.timedelta(days=7)


@dataclass(frozen=True)
class Signature:
    """What the access log copies beside a professional's name (as a mediator's office)."""

    name: str


def practice_of(user):
    """The structure where this professional practises, or None."""
    if user is None or getattr(user, "id", None) is None:
        return None
    if "practice_row" in vars(user):  # loaded with the signed-in user (webapp.sessions.auth)
        row = user.practice_row
        return row.structure if row is not None and row.id is not None else None
    return Structure.select().join(Practice).where(Practice.professional == user.id).first()


def profession_words(user):
    """"Médecin – Médecine générale": the profession, then its specialty when it has one."""
    words = professions.label(user.profession)
    if user.specialty in professions.SPECIALTIES:
        words = f"{words} – {professions.SPECIALTIES[professions.Specialty(user.specialty)]}"
    return words


def signature(user):
    """The profession and place a professional acts in, for the access log: written in
    French, the record's language, whoever reads it later."""
    with force_locale("fr"):
        words = profession_words(user)
    place = practice_of(user)
    parts = [p for p in (words, place.name if place else "") if p]
    return Signature(", ".join(parts)) if parts else None


def structure_for(name, address, finess, siret):
    """The structure with this FINESS (or SIRET), created when new."""
    if finess:
        found = Structure.get_or_none(Structure.finess == finess)
    else:
        found = Structure.get_or_none((Structure.siret == siret) & (Structure.finess == ""))
    return found or Structure.create(name=name.strip(), address=address.strip(),
                                     finess=finess, siret="" if finess else siret)


def create_professional(admin, *, email, first_name, last_name, rpps, profession, specialty,
                        place):
    """A professional's account (no password yet) at a structure; the set-up link goes to
    them after commit. `place` is (name, address, finess, siret). Returns the user."""
    token = ProInvitation.new_token()
    with transaction():
        user = User.create(email=email.strip().lower(), password_hash="!", role="professional",
                           first_name=first_name.strip(), last_name=last_name.strip(),
                           rpps=rpps, profession=profession, specialty=specialty or "")
        Practice.create(professional=user, structure=structure_for(*place))
        ProInvitation.create(user=user, created_by=admin, token_hash=ProInvitation.hash_token(
            token), expires_at=utcnow() + INVITATION_VALID)
        after_commit(lambda: signals.professional_invited.send(user, token=token))
    return user


def set_active(user, active):
    """Deactivate a professional (their sessions end at once) or reactivate them."""
    with transaction():
        user.active = bool(active)
        user.save(only=[User.active])
        if not active:
            UserSession.update(ended_at=utcnow()).where(
                (UserSession.user == user) & UserSession.ended_at.is_null()).execute()


def invitation_for(token, now=None):
    """The unused, unexpired set-up link with this token, or None."""
    if not token or len(token) > 100:
        return None
    return ProInvitation.get_or_none(
        (ProInvitation.token_hash == ProInvitation.hash_token(token))
        & ProInvitation.used_at.is_null() & (ProInvitation.expires_at > (now or utcnow())))


def accept_invitation(invitation, password):
    """The professional's password; the link cannot be used again."""
    with transaction():
        user = invitation.user
        user.password_hash = hash_password(password)
        user.save(only=[User.password_hash])
        invitation.used_at = utcnow()
        invitation.save(only=[ProInvitation.used_at])
    return user


def professionals():
    """Every professional's account with its structure, by name (for the admins)."""
    return (User.select(User, Practice, Structure)
            .join(Practice, JOIN.LEFT_OUTER, on=(Practice.professional == User.id))
            .join(Structure, JOIN.LEFT_OUTER)
            .where(User.role == "professional").order_by(User.last_name, User.first_name))
