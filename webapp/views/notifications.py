"""Notification preferences (a settings page), the notifications shown in the space,
and the private calendar feed: create, revoke, and the public URL guarded by its token."""

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import policy
from webapp.access import Access
from webapp.agenda import actions, queries
from webapp.agenda.calendar import to_ical
from webapp.forms import Form
from webapp.guards import SPACE, on_space, public, roles, signed_in_user
from webapp.models.agenda import Appointment
from webapp.models.notifications import Outbox
from webapp.notify import events
from webapp.notify import preferences as choices
from webapp.rendering import render
from webapp.scopes import HOLDER_SIDE, Scope

bp = Blueprint("notifications", __name__)


def _recipient():
    """Whose preferences: the signed-in holder's own, or the owner's for someone helping."""
    if g.access.capacity in HOLDER_SIDE:
        return g.access.actor
    if g.access.space.owner is None:
        abort(404)
    return g.access.space.owner


@bp.route(SPACE + "/parametres/notifications", methods=["GET", "POST"])
@on_space(Scope.SETTINGS_READ)
def preferences():
    """Choose, per event and channel, which notifications to receive."""
    user = _recipient()
    form = Form()
    if request.method == "POST":
        g.access.require(Scope.SETTINGS_WRITE)
        g.access.note(detail="notifications")
        if form.validate_on_submit():
            choices.save(g.access, user, set(request.form.getlist("on")))
            flash(_("Vos préférences de notification sont enregistrées."), "success")
            return redirect(url_for("notifications.preferences"), 303)
    current = choices.choices(user)
    always = [events.EVENTS[e].label for e in ("professional_access", "mediator_access",
                                                "emergency_access", "mandate_created")]
    return render("notifications/preferences.html", title=_("Notifications"), form=form,
                  events=[(e, events.EVENTS[e].label) for e in events.OPTIONAL],
                  channels=events.CHANNELS, current=current, always=always,
                  can_write=g.access.allows(Scope.SETTINGS_WRITE), recipient=user)


@bp.route("/notifications")
@roles("citizen")
def received():
    """The notifications shown in the space (channel "app"), most recent first."""
    rows = list(Outbox.select().where((Outbox.recipient == current_user.id)
                                      & (Outbox.channel == "app"))
                .order_by(Outbox.created_at.desc()).limit(50))
    spaces = policy.spaces_for(signed_in_user())  # a parent may hold no space of their own
    return render("notifications/received.html", title=_("Mes notifications"),
                  rows=[(row, *events.texts(row)) for row in rows],
                  preferences=url_for("notifications.preferences", ref=spaces[0].ref)
                  if spaces else None)


@bp.route(SPACE + "/parametres/calendrier", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def feed():
    """The private calendar feed: create (or replace) it, or revoke it."""
    token, form = None, Form()
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("action") == "revoke":
            actions.revoke_feed(g.access)
            flash(_("L'adresse d'abonnement est désactivée : plus aucun calendrier ne peut "
                    "la lire."), "success")
            return redirect(url_for("notifications.feed"), 303)
        token = actions.start_feed(g.access)
    live = queries.live_feed(g.access)
    url = url_for("notifications.calendar", token=token, _external=True) if token else None
    return render("notifications/feed.html", title=_("Abonnement au calendrier"),
                  form=form, live=live, url=url)


@bp.route("/calendrier/<token>.ics")
@public
def calendar(token):
    """The agenda for a calendar app; the token alone opens it, unknown or revoked: 404."""
    found = policy.calendar_feed(token)
    if found is None:
        abort(404)
    g.access = access = Access(found.user, found.space, policy.grant_for(found.user, found.space))
    access.require(Scope.AGENDA_READ)
    actions.feed_read(access, found)
    entries = access.query(Appointment).order_by(Appointment.starts_at, Appointment.id)
    response = make_response(to_ical(list(entries), _("Agenda – Mon espace santé")))
    response.mimetype = "text/calendar"
    return response
