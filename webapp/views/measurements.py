"""Measurements: latest values and BMI, then per type a server-drawn chart, the same data
as a table, a form to add a value and an optional personal target."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import format_date, to_user_timezone
from flask_babel import gettext as _

from webapp.db import utcnow
from webapp.guards import SPACE, on_space
from webapp.models.measurements import (
    Measurement,
    MeasurementTarget,
    chronological,
    latest_by_kind,
)
from webapp.record import charts, measures
from webapp.record import measurements as actions
from webapp.record.measurement_forms import MeasurementForm, TargetForm
from webapp.rendering import render
from webapp.scopes import Scope

bp = Blueprint("measurements", __name__)


@bp.route(SPACE + "/mesures")
@on_space(Scope.PROFILE_READ)
def index():
    """The latest value of each type, and the BMI."""
    latest = latest_by_kind(g.access.query(Measurement))
    weight, height = latest.get("poids"), latest.get("taille")
    return render("measurements/index.html",
                  title=_("Mesures de %(name)s", name=g.access.space.display_name),
                  types=measures.offered(g.access.space), latest=latest,
                  bmi=measures.bmi(weight and weight.value, height and height.value),
                  can_write=g.access.allows(Scope.PROFILE_WRITE))


def _kind(code):
    kind = measures.BY_CODE.get(code)
    if kind is None or not kind.offered_to(g.access.space):
        abort(404)
    return kind


def _page(kind, target_form=None, status=200):
    rows = list(g.access.query(Measurement).where(Measurement.kind == kind.code)
                .order_by(*chronological(latest_first=True)))
    target = g.access.query(MeasurementTarget).where(
        MeasurementTarget.kind == kind.code).first()
    unit = str(kind.unit)

    def day(d):
        return format_date(d, "short")

    oldest_first = rows[::-1]
    series = [(_("Systolique") if kind.second_label else str(kind.label),
               [(m.measured_on, m.value) for m in oldest_first])]
    if kind.second_label:
        series.append((_("Diastolique"), [(m.measured_on, m.value2) for m in oldest_first]))
    parts = []
    for label, pts in series:
        text = charts.describe(pts, kind.format, day, unit)
        parts.append(_("%(label)s : %(text)s", label=label, text=text) if len(series) > 1
                     else text)
    description = " ".join(parts)
    if target:
        description += " " + _("Objectif : %(value)s %(unit)s.", value=kind.format(target.value),
                               unit=unit)
    chart = charts.line_chart(
        series, _("Évolution : %(label)s", label=kind.label), description, fmt=kind.format,
        date_fmt=day, target=target.value if target else None,
        target_label=_("Objectif : %(value)s %(unit)s", value=kind.format(target.value),
                       unit=unit) if target else "", unit=unit)
    target_form = target_form or TargetForm(kind, formdata=None,
                                            data={"target": target.value if target else None})
    return render("measurements/kind.html", status=status,
                  title=_("%(label)s de %(name)s", label=kind.label,
                          name=g.access.space.display_name),
                  kind=kind, rows=rows, chart=chart, description=description, target=target,
                  form=target_form, target_form=target_form,
                  can_write=g.access.allows(Scope.PROFILE_WRITE))


@bp.route(SPACE + "/mesures/<code>")
@on_space(Scope.PROFILE_READ)
def kind(code):
    """Chart, table and forms of one type."""
    return _page(_kind(code))


@bp.route(SPACE + "/mesures/<code>/ajouter", methods=["GET", "POST"])
@on_space(Scope.PROFILE_WRITE)
def add(code):
    """Record a value, measured today and now unless changed (Paris time; the time may be
    left empty); out-of-range values are refused with the valid range."""
    kind = _kind(code)
    form = MeasurementForm(kind)
    if request.method == "GET":
        now = to_user_timezone(utcnow())
        form.measured_on.data, form.measured_at.data = now.date(), now.time().replace(
            second=0, microsecond=0)
    if form.validate_on_submit():
        actions.add_measurement(g.access, kind, form.value.data,
                                form.value2.data if kind.second_label else None,
                                form.measured_on.data, form.measured_at.data)
        flash(_("La mesure a été enregistrée."), "success")
        return redirect(url_for("measurements.kind", code=code), 303)
    return render("measurements/add.html", form=form, kind=kind,
                  title=_("Ajouter une mesure : %(label)s", label=kind.label))


@bp.route(SPACE + "/mesures/<code>/objectif", methods=["POST"])
@on_space(Scope.PROFILE_WRITE)
def set_target(code):
    """Set, change or remove the personal target."""
    kind = _kind(code)
    form = TargetForm(kind)
    if not form.validate_on_submit():
        return _page(kind, target_form=form)
    actions.set_target(g.access, kind, form.target.data)
    flash(_("Votre objectif a été enregistré.") if form.target.data is not None
          else _("Votre objectif a été retiré."), "success")
    return redirect(url_for("measurements.kind", code=code), 303)


@bp.route(SPACE + "/mesures/<code>/<int:row_id>/supprimer", methods=["GET", "POST"])
@on_space(Scope.PROFILE_WRITE)
def delete(code, row_id):
    """Confirm, then delete a measurement."""
    kind = _kind(code)
    row = g.access.get(Measurement, row_id)
    if row.kind != code:
        abort(404)
    if request.method == "POST":
        actions.delete_measurement(g.access, row)
        flash(_("La mesure a été supprimée."), "success")
        return redirect(url_for("measurements.kind", code=code), 303)
    return render("measurements/delete.html", title=_("Supprimer cette mesure ?"), kind=kind,
                  row=row)
