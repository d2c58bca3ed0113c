"""What the profile pages and the summary read, through the request's access: a section's
entries, and the documents an entry may point to (the advance directives)."""

from flask_babel import gettext as _

from webapp.models.documents import Document
from webapp.models.profile import ProfileEntry, entries_by_section
from webapp.record.fields import options

DOCUMENT_CHOICES = 100  # documents offered for the advance directives


def entries(access, section):
    """The entries of one section of the access's space, as the page lists them."""
    return entries_by_section(
        access.query(ProfileEntry).where(ProfileEntry.section == section.code)).get(
        section.code, [])


def prepare(access, section, form):
    """Fill the choices that depend on the space (the advance-directives document)."""
    if "document" in form:
        # the most recent documents, plus any already chosen: a space may hold thousands
        chosen = {str(e.values.get("document") or "") for e in entries(access, section)} - {""}
        docs = list(access.query(Document).order_by(
            Document.document_date.desc(), Document.id.desc()).limit(DOCUMENT_CHOICES))
        missing = chosen - {str(d.id) for d in docs}
        if missing:
            docs += list(access.query(Document).where(
                Document.id.in_([int(i) for i in missing if i.isdigit()])))
        form.document.choices = options([("", _("Aucun document"))] + [
            (str(d.id), d.title) for d in docs])
    return form


def describing(access, section, form, section_entries):
    """The form with only the choices these entries name, to describe them (the titles of
    the documents they point to): no query when none points to one."""
    if "document" in form:
        chosen = [int(i) for i in {str(e.values.get("document") or "")
                                   for e in section_entries} if i.isdigit()]
        docs = list(access.query(Document).where(Document.id.in_(chosen))) if chosen else []
        form.document.choices = options([("", _("Aucun document"))] + [
            (str(d.id), d.title) for d in docs])
    return form
