"""Notification preferences (a settings page), the notifications shown in the space,
and the private calendar feed: create, revoke, and the public URL guarded by its token."""

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp import notify, policy
from webapp.db import utcnow
from webapp.forms import Form
from webapp.guards import on_space, public, roles
from webapp.models.agenda import Appointment, CalendarFeed, to_ical
from webapp.models.notifications import Outbox
from webapp.policy import Scope
from webapp.rendering import render
from webapp.views import settings

bp = Blueprint("notifications", __name__)


def _recipient():
    """Whose preferences: the signed-in holder's own, or the owner's for someone helping."""
    if g.grant.capacity in ("owner", "guardian"):
        return g.grant.actor
    if g.space.owner is None:
        abort(404)
    return g.space.owner


@bp.route("/parametres/notifications", methods=["GET", "POST"])
@on_space(Scope.SETTINGS_READ)
def preferences():
    """Choose, per event and channel, which notifications to receive."""
    user = _recipient()
    form = Form()
    if request.method == "POST":
        policy.authorize(g.grant.actor, g.space, Scope.SETTINGS_WRITE, target="notifications")
        if form.validate_on_submit():
            chosen = set(request.form.getlist("on"))
            for event in notify.OPTIONAL:
                for channel in notify.CHANNELS:
                    notify.set_preference(user, event, channel, f"{event}:{channel}" in chosen)
            flash(_("Vos préférences de notification sont enregistrées."), "success")
            return redirect(url_for("notifications.preferences"), 303)
    current = {(e, c): notify.wants(user, e, c) for e in notify.OPTIONAL for c in notify.CHANNELS}
    always = [notify.EVENTS[e].label for e in ("professional_access", "mediator_access",
                                                "emergency_access", "mandate_created")]
    return render("notifications/preferences.html", title=_("Notifications"), form=form,
                  events=[(e, notify.EVENTS[e].label) for e in notify.OPTIONAL],
                  channels=notify.CHANNELS, current=current, always=always,
                  can_write=g.grant.allows(Scope.SETTINGS_WRITE), recipient=user)


@bp.route("/notifications")
@roles("citizen")
def received():
    """The notifications shown in the space (channel "app"), most recent first."""
    rows = list(Outbox.select().where((Outbox.recipient == current_user.id)
                                      & (Outbox.channel == "app"))
                .order_by(Outbox.created_at.desc()).limit(50))
    return render("notifications/received.html", title=_("Mes notifications"),
                  rows=[(row, *notify.texts(row)) for row in rows])


@bp.route("/parametres/calendrier", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def feed():
    """The private calendar feed: create (or replace) it, or revoke it."""
    user, token = g.grant.actor, None
    form = Form()
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("action") == "revoke":
            live = CalendarFeed.live_for(user, g.space)
            if live:
                live.revoked_at = utcnow()
                live.save(only=[CalendarFeed.revoked_at])
            policy.record(g.grant, g.space, "agenda.feed.revoke")
            flash(_("L'adresse d'abonnement est désactivée : plus aucun calendrier ne peut "
                    "la lire."), "success")
            return redirect(url_for("notifications.feed"), 303)
        _feed, token = CalendarFeed.start(user, g.space)
        policy.record(g.grant, g.space, "agenda.feed.create")
    live = CalendarFeed.live_for(user, g.space)
    url = url_for("notifications.calendar", token=token, _external=True) if token else None
    return render("notifications/feed.html", title=_("Abonnement au calendrier"),
                  form=form, live=live, url=url)


@bp.route("/calendrier/<token>.ics")
@public
def calendar(token):
    """The agenda for a calendar app; the token alone opens it, unknown or revoked: 404."""
    found = CalendarFeed.by_token(token)
    if found is None:
        abort(404)
    grant = policy.authorize(found.user, found.space, Scope.AGENDA_READ, target="calendar feed")
    found.last_used_at = utcnow()
    found.save(only=[CalendarFeed.last_used_at])
    response = make_response(to_ical(list(Appointment.of(grant.space)),
                                     _("Agenda – Mon espace santé")))
    response.mimetype = "text/calendar"
    return response


def init_app(app):
    """Settings pages, the access notifications hook."""
    settings.add_section(40, "notifications.preferences", _l("Notifications"),
                         _l("Choisir les messages que vous recevez, et comment."))
    settings.add_section(45, "notifications.feed", _l("Abonnement au calendrier"),
                         _l("Voir votre agenda dans le calendrier de votre téléphone."),
                         scope=Scope.PRIVACY)
    if notify.on_access not in policy.ACCESS_HOOKS:
        policy.ACCESS_HOOKS.append(notify.on_access)
