"""The mediator's list of citizens, and assisted sessions (start, leave) for mediators and
caregivers."""

import base64
import datetime as dt
import secrets

from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import fn
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Length

from webapp import auth, mandates, navigation, policy
from webapp.db import database, utcnow
from webapp.forms import Form, email_address, required
from webapp.guards import acting_grant, public, roles
from webapp.models.accounts import Office, User, UserSession
from webapp.models.assistance import MediatorInvitation
from webapp.models.mandates import Mandate
from webapp.models.spaces import Space
from webapp.notify import ACCESS_EVENTS, mark_notified_today, notify
from webapp.rendering import render
from webapp.security import hash_password, verify_totp

bp = Blueprint("mediator", __name__)
MEDIATOR_INVITATION_TTL = dt.timedelta(days=7)


def _search(query, user):
    """Active mediator mandates of this mediator whose citizen matches the search."""
    rows = (Mandate.active().switch(Mandate).join(Space, on=(Mandate.space == Space.id))
            .where((Mandate.holder == user) & (Mandate.kind == "mediator"))
            .order_by(Space.last_name, Space.first_name, Mandate.ends_at))
    query = (query or "").strip()
    if query:
        digits = "".join(ch for ch in query if ch.isalnum())
        words = [w for w in query.lower().split() if w]
        cond = None
        for word in words:
            part = (fn.LOWER(Space.first_name).contains(word)
                    | fn.LOWER(Space.last_name).contains(word))
            cond = part if cond is None else cond & part
        if digits.isdigit() and len(digits) >= 4:
            cond = (Space.nir.startswith(digits)) | cond if cond is not None \
                else Space.nir.startswith(digits)
        rows = rows.where(cond)
    return list(rows)


def mediator_home(user):
    """The mediator's home: the citizens who gave a mandate, with a search."""
    grant = acting_grant()
    query = request.args.get("q", "")
    now = utcnow()
    rows = _search(query, user)
    return render("home/mediator.html", partial="mediator/_list.html",
                  title=_("Mes usagers"), rows=rows, query=query, now=now, grant=grant,
                  soon={m.id for m in rows if mandates.expiring_soon(m, now)})


@bp.route("/assistance/<reference>/ouvrir", methods=["POST"])
@roles("mediator", "citizen")
def start(reference):
    """Start acting for a citizen under one of one's active mandates."""
    user = current_user._get_current_object()
    mandate = Mandate.active().where(
        (Mandate.reference == reference) & (Mandate.holder == user)).first()
    if mandate is None:
        abort(404)
    space = mandate.space
    # the holders get the assisted-session notice below, not also the daily access one
    mark_notified_today(space, user, ACCESS_EVENTS[mandate.kind])
    grant = policy.authorize(user, space, policy.Scope.SPACE_VIEW,
                             target="assisted_session.start")
    if not grant.is_assisted:
        abort(404)
    session["space_id"] = space.id
    mandates.log(space, user, "assisted_session.start", mandate)
    office = mandate.office.name if mandate.office_id else ""
    for person in policy.holders_of(space):
        notify(person, "assisted_session", name=user.display_name, office=office,
               capacity=mandate.kind)
    flash(_("Vous agissez maintenant pour %(name)s. Un bandeau le rappelle en haut de chaque "
            "page.", name=space.display_name), "info")
    return redirect(url_for("home.index"), 303)


@bp.route("/assistance/quitter", methods=["POST"])
@roles("mediator", "citizen")
def leave():
    """Stop acting for the citizen: back to one's own pages."""
    user = current_user._get_current_object()
    grant = acting_grant()
    session.pop("space_id", None)
    if grant is not None and grant.is_assisted:
        mandates.log(grant.space, user, "assisted_session.end",
                     grant.mandates[0] if grant.mandates else None)
        flash(_("Vous n'agissez plus pour %(name)s.", name=grant.space.display_name), "info")
    return redirect(url_for("home.index"), 303)


# ---- The office: its mediators, invited and deactivated by the office manager ---------------

class InviteMediatorForm(Form):
    first_name = StringField(_l("Prénom"), validators=[required(_l("Saisissez le prénom."))])
    last_name = StringField(_l("Nom"), validators=[required(_l("Saisissez le nom."))])
    email = EmailField(_l("Adresse e-mail professionnelle"), validators=[
        required(_l("Saisissez l'adresse e-mail.")), email_address()])


def _managed_office(user):
    """The office this person manages (an admin picks one with ?office=), else None."""
    if user.role == "admin":
        return Office.get_or_none(Office.id == request.values.get("office", 0, type=int))
    return user.office if user.is_office_manager else None


@bp.route("/structure", methods=["GET", "POST"])
@roles("mediator", "admin")
def office():
    """The office: its details; for its manager, mediators, invitations and mandates."""
    user = current_user._get_current_object()
    managed = _managed_office(user)
    if user.role == "admin" and managed is None:
        return render("mediator/offices.html", title=_("Structures France Services"),
                      offices=Office.select().order_by(Office.name))
    form = InviteMediatorForm()
    if request.method == "POST":
        if managed is None:
            abort(404)
        if form.validate_on_submit():
            if User.by_email(form.email.data) is not None:
                form.email.errors.append(_("Un compte existe déjà avec cette adresse."))
            else:
                invited = invite_mediator(managed, user, form.first_name.data.strip(),
                                          form.last_name.data.strip(), form.email.data)
                flash(_("Invitation envoyée à %(name)s. Le lien est valable 7 jours.",
                        name=invited.display_name), "success")
                return redirect(url_for("mediator.office", office=managed.id
                                        if user.role == "admin" else None), 303)
    here = managed or user.office
    members = list(User.select().where((User.office == here) & (User.role == "mediator"))
                   .order_by(User.last_name)) if managed else []
    pending = {i.user_id: i for i in MediatorInvitation.select().where(
        (MediatorInvitation.office == here) & MediatorInvitation.accepted_at.is_null())}
    office_mandates = list(Mandate.active().switch(Mandate).join(
        Space, on=(Mandate.space == Space.id)).where(
        (Mandate.office == here) & (Mandate.kind == "mediator")).order_by(Mandate.ends_at)) \
        if managed else []
    return render("mediator/office.html", title=here.name if here else _("Ma structure"),
                  office=here, managed=managed, form=form, members=members, pending=pending,
                  office_mandates=office_mandates, now=utcnow())


def invite_mediator(office, manager, first_name, last_name, email):
    """Create the mediator's account (unusable until set up) and send the set-up link."""
    token = secrets.token_urlsafe(32)
    with database.atomic():
        invited = User.create(email=email.strip().lower(), role="mediator", office=office,
                              first_name=first_name, last_name=last_name,
                              password_hash=hash_password(secrets.token_urlsafe(32)),
                              totp_secret=base64.b32encode(secrets.token_bytes(20)).decode())
        MediatorInvitation.create(user=invited, office=office, invited_by=manager,
                                  token_hash=MediatorInvitation.hash_token(token),
                                  expires_at=utcnow() + MEDIATOR_INVITATION_TTL)
    notify(invited, "mediator_invitation", office=office.name,
           link=url_for("mediator.setup", token=token))
    return invited


@bp.route("/structure/mediateurs/<int:user_id>/statut", methods=["POST"])
@roles("mediator", "admin")
def member_status(user_id):
    """Deactivate a mediator (their sessions and mandates stop at once) or reactivate."""
    user = current_user._get_current_object()
    managed = _managed_office(user)
    member = User.get_or_none((User.id == user_id) & (User.role == "mediator")
                              & (User.office == managed)) if managed else None
    if member is None or member.id == user.id:
        abort(404)
    member.active = request.form.get("action") == "reactivate"
    member.save(only=[User.active])
    if not member.active:
        UserSession.update(ended_at=utcnow()).where(
            (UserSession.user == member) & UserSession.ended_at.is_null()).execute()
    flash(_("%(name)s est réactivé.", name=member.display_name) if member.active else
          _("%(name)s est désactivé : ses sessions et ses mandats s'arrêtent immédiatement.",
            name=member.display_name), "success")
    return redirect(url_for("mediator.office", office=managed.id
                            if user.role == "admin" else None), 303)


class SetupForm(Form):
    password = PasswordField(_l("Mot de passe"), validators=[
        required(_l("Choisissez un mot de passe.")),
        Length(min=12, max=128, message=_l("Choisissez un mot de passe de 12 caractères au "
                                           "moins."))])
    code = StringField(_l("Code affiché par votre application"), validators=[
        required(_l("Saisissez le code à 6 chiffres affiché par votre application."))])


@bp.route("/structure/invitation/<token>", methods=["GET", "POST"])
@public
def setup(token):
    """An invited mediator chooses a password and registers the TOTP secret."""
    invitation = MediatorInvitation.get_or_none(
        MediatorInvitation.token_hash == MediatorInvitation.hash_token(token))
    if invitation is None or invitation.state() != "pending":
        abort(404)
    member = invitation.user
    form = SetupForm()
    if form.validate_on_submit():
        if verify_totp(member, form.code.data):
            member.password_hash = hash_password(form.password.data)
            member.save(only=[User.password_hash])
            invitation.accepted_at = utcnow()
            invitation.save(only=[MediatorInvitation.accepted_at])
            flash(_("Votre compte est prêt. Connectez-vous avec votre adresse e-mail, votre mot "
                    "de passe et un code de votre application."), "success")
            return redirect(url_for("auth.login"), 303)
        form.code.errors.append(_("Ce code est incorrect. Vérifiez que vous avez bien saisi la "
                                  "clé dans votre application, puis tapez le code affiché."))
    secret = " ".join(member.totp_secret[i:i + 4] for i in range(0, len(member.totp_secret), 4))
    return render("mediator/setup.html", title=_("Créer votre accès médiateur"), form=form,
                  member=member, secret=secret, token=token)


def _visit_ends_at_sign_out(user):
    mandates.end_visit_mandates(user)


def _scope_labels(scopes):
    return mandates.scope_labels(scopes)


def _check_assisted_session():
    """When the mandate behind an assisted session ends (revoked, expired, holder
    deactivated), the next request is refused, logged, and the person told why."""
    space_id = session.get("space_id")
    if not space_id or request.endpoint == "static" or not current_user.is_authenticated:
        return
    user = current_user._get_current_object()
    space = Space.get_or_none(Space.id == space_id)
    grant = policy.grant_for(user, space) if space is not None else None
    if grant is not None:
        g.acting_grant = grant  # decided once for the menus and the banner of this request
        return
    if space is None:
        return
    session.pop("space_id", None)
    last = (Mandate.select().where((Mandate.holder == user) & (Mandate.space == space))
            .order_by(Mandate.id.desc()).first())
    permission = getattr(current_app.view_functions.get(request.endpoint), "permission", "")
    action = permission[6:] if permission.startswith("space:") else "space.view"
    mandates.log(space, user, action, last, capacity=last.kind if last else None,
                 target=request.endpoint or "", allowed=False)
    if last is not None:
        flash(_("Vous ne pouvez plus agir pour %(name)s : le mandat a pris fin.",
                name=space.display_name), "info")


def init_app(app):
    """Sign-out hook, session check, template helpers and the mediator's menu."""
    app.before_request(_check_assisted_session)
    if _visit_ends_at_sign_out not in auth.SIGN_OUT_HOOKS:
        auth.SIGN_OUT_HOOKS.append(_visit_ends_at_sign_out)
    app.jinja_env.globals.update(
        scope_labels=_scope_labels, duration_label=lambda d: mandates.SHORT_DURATION_LABELS.get(
            d, d), open_end=mandates.OPEN_END)
    navigation.add(110, "mandates.new", _l("Nouveau mandat"), roles=("mediator",))
    navigation.add(120, "mediator.office", _l("Ma structure"), roles=("mediator",))
