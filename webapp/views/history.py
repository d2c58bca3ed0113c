"""Access history: every entry of the space's access log in plain language, with filters
by who and by period, and a way to report an access one did not consent to."""

import datetime as dt

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from webapp import seek
from webapp.db import utcnow
from webapp.guards import SPACE, on_space
from webapp.models.audit import AccessLog
from webapp.privacy import actions
from webapp.privacy.forms import ReportForm
from webapp.privacy.history import GROUPS, PERIODS, describe, who
from webapp.rendering import render
from webapp.scopes import ASSISTED, HOLDER_SIDE, Capacity, Scope

bp = Blueprint("history", __name__)
PER_PAGE = 20


def _filtered(access, group, period, now):
    query = access.query(AccessLog)
    if group == "moi":
        query = query.where(AccessLog.capacity.in_(tuple(HOLDER_SIDE))
                            & (AccessLog.app_name == ""))
    elif group == "professionnels":
        query = query.where(AccessLog.capacity == Capacity.PROFESSIONAL)
    elif group == "aidants":
        query = query.where(AccessLog.capacity.in_(tuple(ASSISTED)))
    elif group == "applications":
        query = query.where((AccessLog.app_name != "") | (AccessLog.capacity == Capacity.APP))
    if period != "tout":
        query = query.where(AccessLog.created_at >= now - dt.timedelta(days=int(period)))
    return query


@bp.route(SPACE + "/historique")
@on_space(Scope.PRIVACY)
def index():
    """The access history of the current space, filtered and paginated."""
    group = request.args.get("qui", "tous")
    group = group if group in GROUPS else "tous"
    period = request.args.get("periode", "tout")
    period = period if period in PERIODS else "tout"
    g.access.note(detail="history")
    query = _filtered(g.access, group, period, utcnow())
    head = getattr(g.access.space, "chain_head", None)  # read with the space
    whole = group == "tous" and period == "tout" and g.access.capacity != Capacity.GUARDIAN
    # the whole chain is numbered 1…head: counted without reading the log; a filtered
    # history is not counted (a COUNT of every matching entry grows with the log)
    total = head.sequence if whole and head is not None and head.space_id is not None \
        else None
    # keyset pages on the (space, sequence) index (webapp.seek), never an OFFSET
    found = seek.page(query, (AccessLog.sequence,), lambda entry: (entry.sequence,),
                      after=seek.decode(request.args.get("apres"), int),
                      before=seek.decode(request.args.get("avant"), int), size=PER_PAGE)

    def page_url(qui=group, **cursor):
        return url_for("history.index", qui=qui, periode=period, **cursor)

    return render("history/index.html", partial="history/_results.html",
                  title=_("Historique des accès"), entries=found.rows, total=total,
                  previous_url=found.previous and page_url(avant=seek.encode(*found.previous)),
                  next_url=found.next and page_url(apres=seek.encode(*found.next)),
                  group=group, period=period, groups=GROUPS, periods=PERIODS,
                  page_url=page_url, describe=describe, who=who)


@bp.route(SPACE + "/historique/<int:entry_id>/signaler", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def report(entry_id):
    """Report an access the holder did not consent to; the admins review it."""
    entry = g.access.get(AccessLog, entry_id)
    form = ReportForm()
    if form.validate_on_submit():
        actions.report(g.access, entry, form.message.data)
        flash(_("Votre signalement a été transmis à l'équipe de Mon espace santé, qui "
                "l'examinera."), "success")
        return redirect(url_for("history.index"), 303)
    return render("history/report.html", title=_("Signaler un accès"), form=form,
                  entry=entry, describe=describe, who=who)
