"""The mediator's list of citizens, and assisted sessions (start, leave) for mediators and
caregivers."""

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from peewee import fn

from webapp import policy
from webapp.assist import actions, mandates
from webapp.assist import office as office_actions
from webapp.assist.forms import CodeSetupForm, InviteMediatorForm, PasswordSetupForm
from webapp.db import utcnow
from webapp.guards import SPACE, on_space, public, roles, signed_in_user
from webapp.models.accounts import Office, User
from webapp.models.assistance import MediatorInvitation
from webapp.models.mandates import Mandate
from webapp.models.spaces import Space
from webapp.rendering import render
from webapp.scopes import Scope
from webapp.security import verify_totp

bp = Blueprint("mediator", __name__)


def _search(query, user):
    """Active mediator mandates of this mediator whose citizen matches the search."""
    rows = policy.mediator_mandates(user)
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
    query = request.args.get("q", "")[:100]
    now = utcnow()
    rows = _search(query, user)
    return render("home/mediator.html", partial="mediator/_list.html",
                  title=_("Mes usagers"), rows=rows, query=query, now=now,
                  soon={m.id for m in rows if mandates.expiring_soon(m, now)})


@bp.route("/assistance/<reference>/ouvrir", methods=["POST"])
@roles("mediator", "citizen")
def start(reference):
    """Start acting for a citizen under one of one's active mandates: the session is
    announced to the holders, then the person's space opens (its address names it)."""
    user = signed_in_user()
    held = policy.mediator_mandates(user) if user.role == "mediator" else policy.helped_by(user)
    mandate = held.where(Mandate.reference == reference).first()
    grant = policy.grant_for(user, mandate.space) if mandate is not None else None
    if grant is None or not grant.is_assisted:
        abort(404)
    actions.start_session(mandate, user)
    flash(_("Vous agissez maintenant pour %(name)s. Un bandeau le rappelle en haut de chaque "
            "page.", name=mandate.space.display_name), "info")
    return redirect(url_for("home.space", ref=mandate.space.ref), 303)


@bp.route(SPACE + "/quitter", methods=["POST"])
@on_space(Scope.SPACE_VIEW)
def leave():
    """Stop acting for the citizen: back to one's own pages."""
    if g.access.grant.is_assisted:
        actions.end_session(g.access)
        flash(_("Vous n'agissez plus pour %(name)s.", name=g.access.space.display_name),
              "info")
    return redirect(url_for("home.index"), 303)


# ---- The office: its mediators, invited and deactivated by the office manager ---------------

def _managed_office(user):
    """The office this person manages (an admin picks one with ?office=), else None."""
    return policy.managed_office(user, request.values.get("office", 0, type=int))


@bp.route("/structure", methods=["GET", "POST"])
@roles("mediator", "admin")
def office():
    """The office: its details; for its manager, mediators, invitations and mandates."""
    user = signed_in_user()
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
                invited = office_actions.invite_mediator(
                    managed, user, form.first_name.data.strip(), form.last_name.data.strip(),
                    form.email.data, link_for=_setup_link)
                flash(_("Invitation envoyée à %(name)s. Le lien est valable 7 jours.",
                        name=invited.display_name), "success")
                return redirect(url_for("mediator.office", office=managed.id
                                        if user.role == "admin" else None), 303)
    here = managed or user.office
    members = list(User.select().where((User.office == here) & (User.role == "mediator"))
                   .order_by(User.last_name)) if managed else []
    pending = {i.user_id: i for i in MediatorInvitation.select().where(
        (MediatorInvitation.office == here) & MediatorInvitation.accepted_at.is_null())}
    office_mandates = list(policy.office_mandates(user, here)) if managed else []
    return render("mediator/office.html", title=here.name if here else _("Ma structure"),
                  office=here, managed=managed, form=form, members=members, pending=pending,
                  office_mandates=office_mandates, now=utcnow())


def _setup_link(token):
    """The address of an invited mediator's set-up page."""
    return url_for("mediator.setup", token=token)


@bp.route("/structure/mediateurs/<int:user_id>/statut", methods=["POST"])
@roles("mediator", "admin")
def member_status(user_id):
    """Deactivate a mediator (their sessions and mandates stop at once) or reactivate."""
    user = signed_in_user()
    managed = _managed_office(user)
    member = User.get_or_none((User.id == user_id) & (User.role == "mediator")
                              & (User.office == managed)) if managed else None
    if member is None or member.id == user.id:
        abort(404)
    if request.form.get("action") == "reactivate":
        office_actions.reactivate_member(member, user)
    else:
        office_actions.deactivate_member(member, user)
    flash(_("%(name)s est réactivé.", name=member.display_name) if member.active else
          _("%(name)s est désactivé : ses sessions et ses mandats s'arrêtent immédiatement.",
            name=member.display_name), "success")
    return redirect(url_for("mediator.office", office=managed.id
                            if user.role == "admin" else None), 303)


SETUP_KEY = "mediator_setup"  # the invitation whose password this browser just set
SETUP_TTL = dt.timedelta(minutes=30)


@bp.route("/structure/invitation/<token>", methods=["GET", "POST"])
@public
def setup(token):
    """Step 1 of an invited mediator's set-up: choosing the password. The link works once;
    the authenticator's secret is made and shown only on the next page, to this browser."""
    invitation = MediatorInvitation.get_or_none(
        MediatorInvitation.token_hash == MediatorInvitation.hash_token(token[:100]))
    if invitation is None or invitation.state() != "pending":
        abort(404)
    form = PasswordSetupForm()
    if form.validate_on_submit():
        if not office_actions.choose_password(invitation, form.password.data):
            abort(404)
        session[SETUP_KEY] = invitation.id
        return redirect(url_for("mediator.setup_application"), 303)
    return render("mediator/setup.html", title=_("Créer votre accès médiateur"), form=form,
                  member=invitation.user, token=token)


@bp.route("/structure/invitation/application", methods=["GET", "POST"])
@public
def setup_application():
    """Step 2: the authenticator's secret, for the person who set the password here."""
    invitation = MediatorInvitation.get_or_none(
        MediatorInvitation.id == (session.get(SETUP_KEY) or 0))
    if invitation is None or invitation.state() != "password_set" \
            or invitation.password_set_at + SETUP_TTL <= utcnow():
        session.pop(SETUP_KEY, None)
        flash(_("Cette étape n'est plus possible ici. Si votre accès n'est pas prêt, demandez "
                "une nouvelle invitation à votre responsable."), "info")
        return redirect(url_for("auth.login"))
    member, form = invitation.user, CodeSetupForm()
    if form.validate_on_submit():
        if verify_totp(member, form.code.data):
            office_actions.finish_setup(invitation)
            session.pop(SETUP_KEY, None)
            flash(_("Votre compte est prêt. Connectez-vous avec votre adresse e-mail, votre mot "
                    "de passe et un code de votre application."), "success")
            return redirect(url_for("auth.login"), 303)
        form.code.errors.append(_("Ce code est incorrect. Vérifiez que vous avez bien saisi la "
                                  "clé dans votre application, puis tapez le code affiché."))
    secret = " ".join(member.totp_secret[i:i + 4] for i in range(0, len(member.totp_secret), 4))
    return render("mediator/setup_application.html", title=_("Ajouter votre application "
                                                             "d'authentification"),
                  form=form, member=member, secret=secret)
