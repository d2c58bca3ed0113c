"""Who may do what on whose space: the one place that decides.

- grants: a person's grant on a space (capacity and scopes), the holders of a space;
- rows: which rows of a space a grant sees (documents hidden or confidential, a
  professional's own conversations…);
- people: decisions outside one space's pages (a professional's patients and inbox,
  emergency access, offices);
- proofs: rows reached by what a person proves or holds (an identity with a letter's
  code, a reference in their own session, their own drafts and consents).

Views reach a space's rows only through the request's access object (webapp.access),
which asks this package.
"""

from webapp.policy.grants import (
    OBJECTION_DELAY,
    Grant,
    follows,
    grant_for,
    holders_of,
    is_blocked,
    last_mandate,
    own_space,
    reaching,
    space_is_open,
    spaces_for,
)
from webapp.policy.people import (
    access_reports,
    account_proving,
    attestation_by_code,
    attestation_of,
    calendar_feed,
    closed_space_of,
    conversations_of,
    done_by,
    dormant_mandates,
    emergency_refusal,
    guardian_invitations_to,
    handled_mandate,
    helped_by,
    invitations_to_help,
    invited_or_helping,
    managed_office,
    may_handle_mandate,
    mediator_mandates,
    office_mandates,
    office_mandates_on,
    patients_of,
    reachable_among,
    running_emergencies,
    sees_citizens_of,
    space_for_mandate,
)
from webapp.policy.rows import can_see, is_marked, mark, visible, withheld

__all__ = [
    "access_reports", "account_proving", "attestation_by_code", "attestation_of",
    "calendar_feed", "can_see", "closed_space_of", "conversations_of", "done_by",
    "dormant_mandates", "emergency_refusal", "follows", "Grant", "grant_for",
    "guardian_invitations_to", "handled_mandate", "helped_by", "holders_of",
    "invitations_to_help", "invited_or_helping", "is_blocked", "is_marked", "last_mandate",
    "managed_office", "mark", "may_handle_mandate", "mediator_mandates", "OBJECTION_DELAY",
    "office_mandates", "office_mandates_on", "own_space", "patients_of", "reachable_among",
    "reaching", "running_emergencies", "sees_citizens_of", "space_for_mandate", "space_is_open",
    "spaces_for", "visible", "withheld",
]
