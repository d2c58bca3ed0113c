"""The agenda: appointments and reminders grouped by day, add/edit/delete one's own,
iCalendar export, and the prevention calendar."""

import itertools

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from webapp.agenda import actions, prevention, proposals
from webapp.agenda.calendar import to_ical
from webapp.agenda.forms import STATUS_LABELS, AppointmentForm, PreventionForm
from webapp.db import utcnow
from webapp.forms import Form
from webapp.guards import SPACE, on_space
from webapp.i18n import show_datetime
from webapp.models.agenda import Appointment, PreventionStatus
from webapp.rendering import render
from webapp.scopes import HOLDER_AND_HELPERS, Scope

bp = Blueprint("agenda", __name__)
PER_PAGE = 20


def _entry(entry_id):
    return g.access.get(Appointment, entry_id)


def _own(entry_id):
    """An entry the holder's side may change, else 404."""
    entry = _entry(entry_id)
    if not entry.citizen_owned:
        abort(404)
    return entry


def by_day(entries):
    """[(local date, [entries])] in the given order."""
    return [(day, list(items)) for day, items in itertools.groupby(
        entries, key=lambda e: to_user_timezone(e.starts_at).date())]


@bp.route(SPACE + "/agenda")
@on_space(Scope.AGENDA_READ)
def index():
    """Upcoming entries, then past ones (paginated), grouped by day."""
    now = utcnow()
    entries = g.access.query(Appointment)
    upcoming = list(entries.where(Appointment.starts_at >= now)
                    .order_by(Appointment.starts_at, Appointment.id))
    past_query = entries.where(Appointment.starts_at < now)
    pages = max(1, -(-past_query.count() // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    past = list(past_query.order_by(Appointment.starts_at.desc()).paginate(page, PER_PAGE))
    return render("agenda/index.html", title=_("Agenda"), upcoming=by_day(upcoming),
                  past=by_day(past), page_number=page, pages=pages,
                  page_url=lambda n: url_for("agenda.index", page=n) + "#passes",
                  can_write=g.access.allows(Scope.AGENDA_WRITE))


@bp.route(SPACE + "/agenda/nouveau", methods=["GET", "POST"])
@on_space(Scope.AGENDA_WRITE, HOLDER_AND_HELPERS)
def add():
    """Add an appointment or a reminder of one's own."""
    access = g.access
    form = AppointmentForm()
    if form.validate_on_submit():
        entry = actions.add_entry(access, form)
        flash(_("Le rendez-vous est ajouté à votre agenda."), "success")
        return redirect(url_for("agenda.show", entry_id=entry.id), 303)
    return render("agenda/form.html", title=_("Ajouter un rendez-vous"), form=form,
                  action=url_for("agenda.add"), back=url_for("agenda.index"))


@bp.route(SPACE + "/agenda/<int:entry_id>")
@on_space(Scope.AGENDA_READ)
def show(entry_id):
    """One entry, who owns it, and what can be done with it."""
    entry = _entry(entry_id)
    may_write = g.access.allows(Scope.AGENDA_WRITE) and g.access.capacity in HOLDER_AND_HELPERS
    return render("agenda/show.html", title=entry.title, entry=entry,
                  can_write=entry.citizen_owned and may_write,
                  can_answer=entry.status == "proposed" and may_write, form=Form())


@bp.route(SPACE + "/agenda/<int:entry_id>/repondre", methods=["POST"])
@on_space(Scope.AGENDA_WRITE, HOLDER_AND_HELPERS)
def answer(entry_id):
    """Accept or decline an appointment a professional proposed; they see the answer."""
    entry = _entry(entry_id)
    choice = request.form.get("reponse", "")
    if not Form().validate_on_submit() or not proposals.answer(g.access, entry, choice):
        abort(404)
    flash(_("Vous avez accepté ce rendez-vous.") if choice == "accept" else
          _("Vous avez refusé ce rendez-vous. %(name)s en est informé.", name=entry.owner_name),
          "success")
    return redirect(url_for("agenda.show", entry_id=entry.id), 303)


@bp.route(SPACE + "/agenda/<int:entry_id>/modifier", methods=["GET", "POST"])
@on_space(Scope.AGENDA_WRITE, HOLDER_AND_HELPERS)
def edit(entry_id):
    """Change one's own entry; others' are read-only (404 here)."""
    entry = _own(entry_id)
    local = to_user_timezone(entry.starts_at)
    form = AppointmentForm(obj=entry, day=local.date(), time=local.time().replace(second=0))
    if form.validate_on_submit():
        actions.edit_entry(g.access, entry, form)
        flash(_("Le rendez-vous est modifié."), "success")
        return redirect(url_for("agenda.show", entry_id=entry.id), 303)
    return render("agenda/form.html", title=_("Modifier le rendez-vous"), form=form,
                  action=url_for("agenda.edit", entry_id=entry.id),
                  back=url_for("agenda.show", entry_id=entry.id))


@bp.route(SPACE + "/agenda/<int:entry_id>/supprimer", methods=["GET", "POST"])
@on_space(Scope.AGENDA_WRITE, HOLDER_AND_HELPERS)
def delete(entry_id):
    """Confirm, then delete one's own entry."""
    entry = _own(entry_id)
    form = Form()
    if form.validate_on_submit():
        actions.delete_entry(g.access, entry)
        flash(_("Le rendez-vous « %(title)s » est supprimé.", title=entry.title), "success")
        return redirect(url_for("agenda.index"), 303)
    return render("agenda/delete.html", title=_("Supprimer le rendez-vous"), entry=entry,
                  form=form)


def _ics(entries, filename):
    response = make_response(to_ical(entries, _("Agenda – Mon espace santé")))
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route(SPACE + "/agenda/<int:entry_id>/export.ics")
@on_space(Scope.AGENDA_READ)
def export_one(entry_id):
    """One entry as an iCalendar file."""
    return _ics([_entry(entry_id)], f"rendez-vous-{entry_id}.ics")


@bp.route(SPACE + "/agenda/export.ics")
@on_space(Scope.AGENDA_READ)
def export_all():
    """The whole agenda as an iCalendar file."""
    return _ics(list(g.access.query(Appointment).order_by(Appointment.starts_at,
                                                          Appointment.id)), "agenda.ics")


@bp.route(SPACE + "/agenda/prevention")
@on_space(Scope.AGENDA_READ)
def prevention_calendar():
    """Vaccinations, examinations and screenings due for the person's age and sex."""
    today = to_user_timezone(utcnow()).date()
    space = g.access.space
    current, coming, past = prevention.calendar_for(space.birth_date, space.sex, today)
    statuses = {s.item: s.status for s in g.access.query(PreventionStatus)}
    return render("agenda/prevention.html", title=_("Calendrier de prévention"),
                  sections=[(_("À faire maintenant"), current), (_("À venir"), coming),
                            (_("Âges déjà passés"), past)],
                  statuses=statuses, labels=STATUS_LABELS, kinds=prevention.KIND_LABELS,
                  can_write=g.access.allows(Scope.AGENDA_WRITE), form=PreventionForm())


@bp.route(SPACE + "/agenda/prevention/<code>", methods=["POST"])
@on_space(Scope.AGENDA_WRITE, HOLDER_AND_HELPERS)
def prevention_status(code):
    """Mark an item as to plan, done or not done."""
    access = g.access
    item = prevention.BY_CODE.get(code)
    form = PreventionForm()
    if item is None or not form.validate_on_submit():
        abort(404)
    row = actions.set_prevention_status(access, code, form.status.data)
    flash(_("« %(item)s » : %(status)s.", item=item.label, status=STATUS_LABELS[row.status]),
          "success")
    return redirect(url_for("agenda.prevention_calendar") + f"#item-{code}", 303)


def home_panel(access):
    """Home card: the next appointment."""
    if not access.allows(Scope.AGENDA_READ):
        return None
    entry = (access.query(Appointment).where(Appointment.starts_at >= utcnow())
             .order_by(Appointment.starts_at, Appointment.id).first())
    text = _("Prochain : %(title)s, %(when)s.", title=entry.title, when=_when(entry)) \
        if entry else _("Aucun rendez-vous à venir.")
    return dict(title=_("Agenda"), href=url_for("agenda.index"), text=text)


def _when(entry):
    return show_datetime(entry.starts_at, "full")
