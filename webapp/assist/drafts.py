"""The mandate wizard's draft: a row that every step's address names (never the session),
belonging to the mediator who started it, good for one hour. It holds what the steps
gathered, says which step comes next, and becomes a mandate at the end."""

from webapp.assist import actions, mandates
from webapp.db import transaction, utcnow
from webapp.models.mandates import DRAFT_TTL, MandateDraft
from webapp.policy import proofs, space_is_open
from webapp.scopes import MEDIATOR_GRANTABLE

STEPS = ("citizen", "scopes", "duration", "terms", "consent", "confirm")


def start(mediator, space, now=None):
    """A new draft for this mediator and space (drafts past their hour go)."""
    now = now or utcnow()
    with transaction():
        MandateDraft.delete().where(MandateDraft.expires_at <= now).execute()
        return MandateDraft.create(mediator=mediator, space=space, created_at=now,
                                   expires_at=now + DRAFT_TTL)


def find(reference, mediator):
    """The mediator's own draft with this reference, or None (someone else's too)."""
    return proofs.mandate_draft(reference, mediator)


def space_ready(draft, now=None):
    """True while the draft's space may still get a mandate (open, someone to consent)."""
    space = draft.space
    return space_is_open(space, now) and bool(mandates.consenters(space, now))


def first_missing(draft):
    """The first step not done yet, so that no step can be skipped."""
    if not space_ready(draft):
        return "citizen"
    for step, done in (("scopes", draft.scopes), ("duration", draft.duration),
                       ("terms", draft.terms_read), ("consent", draft.consent_id)):
        if not done:
            return step
    return "confirm"


def reached(draft, step):
    """The step to go back to when `step` comes after the first one not done, else None."""
    missing = first_missing(draft)
    return missing if STEPS.index(missing) < STEPS.index(step) else None


def save(draft, **values):
    """Record what a step gathered."""
    if "scopes" in values:
        values["scopes"] = " ".join(sorted(set(values["scopes"]) & MEDIATOR_GRANTABLE))
    for name, value in values.items():
        setattr(draft, name, value)
    draft.save(only=[getattr(MandateDraft, name) for name in values])


def discard(draft):
    """Abandon a draft: nothing of it is kept."""
    draft.delete_instance()


def finish(draft, consent):
    """The mandate the draft describes starts (with its attestation); the draft goes."""
    with transaction():
        mandate = actions.create_mediator_mandate(draft.mediator, draft.space, draft.scope_list,
                                                  draft.duration, consent)
        draft.delete_instance()
    return mandate
