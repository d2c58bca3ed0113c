"""The medical profile's changes: entries added, changed, deleted; sections marked "not
concerned". Each is one transaction with its log entry."""

from webapp.audit import Action
from webapp.db import transaction, utcnow
from webapp.models.profile import ProfileEntry, SectionStatus
from webapp.scopes import Capacity


def add_entry(access, section, values, sort_date):
    """A new entry; the section is no longer "not concerned"."""
    with transaction():
        entry = ProfileEntry(space=access.space, section=section.code, author=access.actor,
                             author_kind="professional"
                             if access.capacity == Capacity.PROFESSIONAL else "citizen")
        entry.values, entry.sort_date = values, sort_date
        entry.save()
        SectionStatus.delete().where((SectionStatus.space == access.space)
                                     & (SectionStatus.section == section.code)).execute()
        access.log(Action.PROFILE_WRITE, entry, f"{section.code}:add")
    return entry


def edit_entry(access, entry, values, sort_date):
    """Change an entry."""
    with transaction():
        entry.values, entry.sort_date, entry.updated_at = values, sort_date, utcnow()
        entry.save()
        access.log(Action.PROFILE_WRITE, entry, f"{entry.section}:edit")


def delete_entry(access, entry):
    """Delete an entry."""
    with transaction():
        entry.delete_instance()
        access.log(Action.PROFILE_WRITE, entry, f"{entry.section}:delete")


def toggle_not_concerned(access, section, status, has_entries):
    """Mark a section as "not concerned" or undo it; 'undone', 'refused' or 'marked'."""
    with transaction():
        if status is not None:
            status.delete_instance()
            result = "undone"
        elif has_entries:
            result = "refused"
        else:
            SectionStatus.create(space=access.space, section=section.code)
            result = "marked"
        access.log(Action.PROFILE_WRITE, detail=f"{section.code}:not-concerned")
    return result
