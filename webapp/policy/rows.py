"""Which rows of a space a grant sees. Queries built here are marked, so that a test can
tell them from queries that reach a space's rows another way."""

from peewee import Select

from webapp.db import utcnow
from webapp.models.agenda import Appointment
from webapp.models.audit import AccessLog
from webapp.models.documents import Document
from webapp.models.mandates import Attestation, Mandate
from webapp.models.messages import Attachment, Conversation, Message
from webapp.models.privacy import ExportJob, GuardianInvitation
from webapp.models.spaces import Guardianship
from webapp.pro import matrix
from webapp.scopes import Capacity

MARK = "_through_policy"


def mark(query, by="policy"):
    """Mark a query as built by the policy (the mark survives .where(), .order_by()…);
    it keeps the condition built here, so a test can tell narrowing from widening."""
    setattr(query, MARK, (by, getattr(query, "_where", None)))
    return query


def is_marked(query):
    """True for a query built by the policy or the access object."""
    return bool(getattr(query, MARK, None))


def _withheld_now():
    """Documents kept from the holder's side until the announcement consultation."""
    return Document.withheld & (Document.release_at.is_null()
                                | (Document.release_at > utcnow()))


def _documents(grant):
    cond = Document.space == grant.space
    actor_id = getattr(grant.actor, "id", None) or 0  # 0 matches no author
    if not grant.sees_hidden:
        cond &= ~Document.hidden | (Document.author == actor_id)
    if grant.capacity == Capacity.GUARDIAN:
        cond &= ~Document.confidential | (Document.author == actor_id)
    if grant.capacity == Capacity.PROFESSIONAL:  # the authorisation matrix
        readable = sorted(matrix.readable(grant.actor.profession))
        cond &= Document.category.in_(readable) | (Document.author == actor_id)
    elif grant.capacity != Capacity.SYSTEM:
        cond &= ~_withheld_now()
    return cond


def withheld(grant):
    """What the holder's side may know of the documents kept from it for now: who
    deposited them and when, never their content."""
    return mark(Document.select(Document.id, Document.author_name, Document.created_at)
                .where((Document.space == grant.space) & _withheld_now())
                .order_by(Document.created_at))


def _appointments(grant):
    cond = Appointment.space == grant.space
    if grant.capacity == Capacity.PROFESSIONAL:  # only the appointments they proposed
        cond &= Appointment.created_by == grant.actor.id
    return cond


def _exports(grant):
    # an archive holds what its requester may see (a minor's confidential documents): theirs
    actor_id = getattr(grant.actor, "id", None) or 0
    return (ExportJob.space == grant.space) & (ExportJob.requested_by == actor_id)


def _conversations(grant):
    cond = Conversation.space == grant.space
    if grant.capacity == Capacity.PROFESSIONAL:  # only the conversations one takes part in
        cond &= Conversation.professional == grant.actor.id
    return cond


def _log(grant):
    """A minor's legal representatives do not see entries about the documents kept from
    them (who read them, when): the log would tell that they exist."""
    cond = AccessLog.space == grant.space
    if grant.capacity == Capacity.GUARDIAN:
        actor_id = getattr(grant.actor, "id", None) or 0
        kept = Document.select(Document.id).where(
            (Document.space == grant.space) & Document.confidential
            & (Document.author.is_null() | (Document.author != actor_id)))
        cond &= ~((AccessLog.target_kind == Document._meta.table_name)
                  & AccessLog.target_id.in_(kept))
    return cond


# model -> (joins from the model to the row that names the space, condition(grant))
RULES = {
    Document: ((), _documents),
    Appointment: ((), _appointments),
    Conversation: ((), _conversations),
    AccessLog: ((), _log),
    Message: ((Conversation,), _conversations),
    Attachment: ((Message, Conversation), _conversations),
    Attestation: ((Mandate,), lambda grant: Mandate.space == grant.space),
    Guardianship: ((), lambda grant: Guardianship.child == grant.space),
    GuardianInvitation: ((), lambda grant: GuardianInvitation.child == grant.space),
    ExportJob: ((), _exports),
}


def visible(model, grant, *fields):
    """A query of the rows of `model` in the grant's space that its actor may see."""
    joins, condition = RULES.get(model, ((), None))
    query = model.select(*fields)
    for other in joins:
        query = query.join(other)
    if condition is None:
        if "space" not in model._meta.fields:
            raise TypeError(f"{model.__name__} has no rows in a space")
        query = query.where(model.space == grant.space)
    else:
        query = query.where(condition(grant))
    return mark(query, "access")


def can_see(row, grant):
    """True when this row (already fetched) is one the grant's actor may see."""
    model = type(row)
    return visible(model, grant).where(model._meta.primary_key == row._pk).exists()


def is_select(query):
    """True for a SELECT (the queries the marks are about)."""
    return isinstance(query, Select)
