"""Rows reached by what a person proves or holds rather than by a grant on a space: an
identity (NIR and birth date) typed with a code from a letter, a reference kept in their
own browser session, a draft or a consent of their own. Each answer is None (or empty)
when the proof does not match, so a caller cannot tell which part failed."""

from webapp.models.accounts import User
from webapp.models.letters import Letter
from webapp.models.mandates import MandateDraft
from webapp.models.privacy import Objection
from webapp.models.recovery import AssistedRecovery
from webapp.models.smart import SmartClient, SmartConsent, SmartToken
from webapp.models.spaces import Space
from webapp.policy.rows import mark

MAX_REFERENCE = 32


def space_by_identity(nir, birth_date):
    """The space with this NIR and birth date, or None (the caller never says which
    failed): what the activation, the objection, a recovery code or an emergency start
    from, before anyone holds a grant on the space."""
    space = mark(Space.select().where(Space.nir == nir)).first()
    if space is None or space.birth_date != birth_date:
        return None
    return space


def letter_waiting(space):
    """True when a new activation letter for this space is waiting to be printed."""
    return mark(Letter.pending().where(Letter.space == space)).exists()


def signable_space(user):
    """The space this account holds, if it can be signed into (active, or closed and
    still archived)."""
    return mark(Space.select().where((Space.owner == user)
                                     & Space.state.in_(("active", "closed")))).first()


def usable_recovery(space, now=None):
    """The space's latest recovery code that may still be used, or None."""
    if space is None:
        return None
    return mark(AssistedRecovery.usable(now).where(AssistedRecovery.space == space)
                .order_by(AssistedRecovery.id.desc())).first()


def printed_recovery(reference, mediator):
    """The recovery this mediator printed under this reference, or None."""
    if not reference or len(reference) > MAX_REFERENCE or mediator is None:
        return None
    return mark(AssistedRecovery.select().where(
        (AssistedRecovery.reference == reference)
        & (AssistedRecovery.mediator == mediator))).first()


def objection_proof(reference):
    """The proof of the objection whose reference this browser session keeps, or None."""
    if not reference or len(reference) > MAX_REFERENCE:
        return None
    return mark(Objection.select().where(Objection.reference == reference)).first()


def mandate_draft(reference, mediator):
    """The mediator's own draft with this reference, or None (someone else's too)."""
    if not reference or len(reference) > MAX_REFERENCE:
        return None
    return mark(MandateDraft.select().where((MandateDraft.reference == reference)
                                            & (MandateDraft.mediator == mediator))).first()


def software_consents(user):
    """A professional's consents to software (no space), newest first."""
    return mark(SmartConsent.select(SmartConsent, SmartClient).join(SmartClient)
                .where((SmartConsent.user == user) & SmartConsent.space.is_null()
                       & SmartConsent.revoked_at.is_null())
                .order_by(SmartConsent.updated_at.desc(), SmartConsent.id.desc()))


def access_token(digest):
    """The API token with this digest, with its client and person (the bearer token is
    the proof; the caller checks it is still valid and what it allows), or None."""
    return mark(SmartToken.select(SmartToken, SmartClient, User)
                .join(SmartClient).switch(SmartToken).join(User)
                .where(SmartToken.access_hash == digest)).first()


def token_consent(token):
    """The consent an API token was issued under, or None."""
    if not token.consent_id:
        return None
    return mark(SmartConsent.select().where(SmartConsent.id == token.consent_id)).first()


def token_space(token):
    """The space a patient-scoped API token was issued for, or None."""
    return mark(Space.select().where(Space.id == token.space_id)).first()


def spaces_by_ins(identifiers, refs):
    """At most two spaces with these (OID or None, matricule) identifiers and references:
    what an API search by INS starts from, before the policy admits any of them."""
    query = Space.select()
    for oid, matricule in identifiers:
        query = query.where(Space.nir == matricule)
        if oid is not None:
            query = query.where(Space.ins_oid == oid)
    for ref in refs:
        query = query.where(Space.ref == ref)
    return list(mark(query.limit(2)))
