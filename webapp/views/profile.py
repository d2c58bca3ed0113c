"""The medical profile: every section on one page; entries added, changed and deleted in
place with htmx, or on their own pages without JavaScript."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from webapp.guards import SPACE, on_space
from webapp.models.profile import (
    ProfileEntry,
    SectionStatus,
    entries_by_section,
    not_concerned_sections,
)
from webapp.record import profile as actions
from webapp.record import profile_queries as queries
from webapp.record import profile_sections as ps
from webapp.rendering import is_fragment_request, render
from webapp.scopes import Scope

bp = Blueprint("profile", __name__)


def _section(code):
    section = ps.BY_CODE.get(code)
    if section is None or not section.offered_to(g.access.space):
        abort(404)
    return section


def _prepare(section, form):
    """Fill the choices that depend on the space (the advance-directives document)."""
    return queries.prepare(g.access, section, form)


def _entries(section):
    return queries.entries(g.access, section)


def _described(section, entries):
    hook = queries.describing(g.access, section, section.form(meta={"csrf": False}), entries)
    out = []
    for entry in entries:
        heading, rows = ps.describe(section, entry.values, hook)
        out.append((entry, heading, rows))
    return out


def _context(section, entries=None, **extra):
    entries = _entries(section) if entries is None else entries
    context = dict(section=section, items=_described(section, entries),
                   not_concerned=section.code in not_concerned_sections(
                       g.access.query(SectionStatus)),
                   can_write=g.access.allows(Scope.PROFILE_WRITE), form=None, editing=None,
                   deleting=None, message="", focus="", is_optional=ps.is_optional)
    context.update(extra)
    return context


@bp.route(SPACE + "/profil")
@on_space(Scope.PROFILE_READ)
def index():
    """All the sections of the medical profile."""
    grouped = entries_by_section(g.access.query(ProfileEntry))
    skipped = not_concerned_sections(g.access.query(SectionStatus))
    can_write = g.access.allows(Scope.PROFILE_WRITE)
    sections = []
    for section in ps.offered(g.access.space):
        mine = grouped.get(section.code, [])
        hook = queries.describing(g.access, section, section.form(meta={"csrf": False}), mine)
        items = [(e, *ps.describe(section, e.values, hook)) for e in mine]
        sections.append(dict(section=section, items=items, can_write=can_write,
                             not_concerned=section.code in skipped, form=None, editing=None,
                             deleting=None, message="", focus=""))
    return render("profile/index.html", title=_("Profil médical de %(name)s",
                                                  name=g.access.space.display_name),
                  sections=sections, is_optional=ps.is_optional)


@bp.route(SPACE + "/profil/<code>")
@on_space(Scope.PROFILE_READ)
def section(code):
    """One section alone (the htmx "cancel" target, and a page of its own)."""
    current = _section(code)
    return _show(_context(current))


def _show(context, status=200):
    return render("profile/section.html", partial="profile/_section.html", status=status,
                  title=str(context["section"].title), **context)


def _form_page(section, form, status=200, **context):
    full = _context(section, form=form, **context)
    if is_fragment_request():
        return render("profile/_section.html", status=status, **full)
    title = _("Modifier : %(section)s", section=section.title) if context.get("editing") \
        else _("Ajouter : %(section)s", section=section.title)
    return render("profile/section.html", status=status, title=title, **full)


def _saved(section, message, focus=""):
    if is_fragment_request():
        return _show(_context(section, message=message, focus=focus))
    flash(message, "success")
    return redirect(url_for("profile.index", _anchor=f"section-{section.code}"), 303)


def _trusted_taken(form, entry=None):
    if form.kind.data != "trusted":
        return None
    query = g.access.query(ProfileEntry).where(ProfileEntry.section == "entourage")
    for other in query:
        if (entry is None or other.id != entry.id) and other.values.get("kind") == "trusted":
            return other
    return None


def _validate(section, form, entry=None):
    if not form.validate_on_submit():
        return False
    if section.code == "entourage":
        other = _trusted_taken(form, entry)
        if other is not None:
            form.kind.errors = [_("Vous avez déjà une personne de confiance : %(name)s. "
                                  "Modifiez-la ou supprimez-la d'abord.",
                                  name=other.values.get("name", ""))]
            return False
    return True


def _values(form):
    return {f.name: f.data for f in form if f.name != "csrf_token" and f.data not in (None, "")}


@bp.route(SPACE + "/profil/<code>/ajouter", methods=["GET", "POST"])
@on_space(Scope.PROFILE_WRITE)
def add(code):
    """Add an entry to a section (a single-entry section is edited instead)."""
    section = _section(code)
    existing = _entries(section)
    if section.single and existing:
        return redirect(url_for("profile.edit", code=code, entry_id=existing[0].id), 303)
    form = _prepare(section, section.form())
    if _validate(section, form):
        entry = actions.add_entry(g.access, section, _values(form), _sort_date(section, form))
        return _saved(section, _("L'information a été ajoutée à la rubrique « %(section)s ».",
                                 section=section.title), focus=f"entry-{entry.id}")
    return _form_page(section, form)


def _sort_date(section, form):
    return form.data.get(section.date_field) if section.date_field else None


def _entry(section, entry_id):
    entry = g.access.get(ProfileEntry, entry_id)
    if entry.section != section.code:
        abort(404)
    return entry


@bp.route(SPACE + "/profil/<code>/<int:entry_id>/modifier", methods=["GET", "POST"])
@on_space(Scope.PROFILE_WRITE)
def edit(code, entry_id):
    """Change an entry."""
    section = _section(code)
    entry = _entry(section, entry_id)
    form = _prepare(section, section.form(data=entry.values))
    if _validate(section, form, entry):
        actions.edit_entry(g.access, entry, _values(form), _sort_date(section, form))
        return _saved(section, _("La modification a été enregistrée."), focus=f"entry-{entry.id}")
    return _form_page(section, form, editing=entry)


@bp.route(SPACE + "/profil/<code>/<int:entry_id>/supprimer", methods=["GET", "POST"])
@on_space(Scope.PROFILE_WRITE)
def delete(code, entry_id):
    """Confirm, then delete an entry."""
    section = _section(code)
    entry = _entry(section, entry_id)
    if request.method == "POST":
        actions.delete_entry(g.access, entry)
        return _saved(section, _("L'information a été supprimée."), focus=f"section-{code}-title")
    prepared = _prepare(section, section.form(meta={"csrf": False}))
    heading, _rows = ps.describe(section, entry.values, prepared)
    context = _context(section, deleting=entry, deleting_label=heading)
    if is_fragment_request():
        return render("profile/_section.html", **context)
    return render("profile/section.html", title=_("Supprimer cette information ?"), **context)


@bp.route(SPACE + "/profil/<code>/non-concerne", methods=["POST"])
@on_space(Scope.PROFILE_WRITE)
def not_concerned(code):
    """Mark a section as "not concerned", or undo it."""
    section = _section(code)
    status = g.access.query(SectionStatus).where(SectionStatus.section == code).first()
    result = actions.toggle_not_concerned(g.access, section, status, bool(_entries(section)))
    message = {
        "undone": _("La rubrique « %(section)s » n'est plus marquée « non concerné ».",
                    section=section.title),
        "refused": _("Supprimez d'abord les informations de cette rubrique."),
        "marked": _("La rubrique « %(section)s » est marquée « non concerné ».",
                    section=section.title)}[result]
    return _saved(section, message, focus=f"section-{code}-title")


def home_panel(access):
    """Home card: the medical profile."""
    if not access.allows(Scope.PROFILE_READ):
        return None
    return dict(title=_("Profil médical"), href=url_for("profile.index"),
                text=_("Allergies, traitements, vaccinations, mesures et synthèse de santé."))
