"""National sign-in: "S'identifier avec FranceConnect" for citizens, "Pro Santé Connect" for
professionals. Off unless configured: its addresses lead back to the sign-in page."""

import time

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from webapp.guards import public, signed_in_user
from webapp.models.spaces import Space
from webapp.national_signin import citizens, flow, logout, professionals
from webapp.national_signin.forms import ConfirmForm
from webapp.national_signin.providers import (
    FRANCECONNECT,
    PRO_SANTE_CONNECT,
    Unavailable,
    enabled,
)
from webapp.national_signin.tokens import Refused
from webapp.ratelimit import LOGIN_PER_ACCOUNT, limiter
from webapp.rendering import render, safe_next
from webapp.security import check_password
from webapp.sessions.auth import sign_in

bp = Blueprint("national_signin", __name__)
PENDING_KEY = "national_signin_link"
RPPS_KEY = "national_signin_rpps"  # the number shown on the "no account" page
PENDING_TTL = 600  # seconds to confirm the link after FranceConnect
NAMES = {FRANCECONNECT: "FranceConnect", PRO_SANTE_CONNECT: "Pro Santé Connect"}


@bp.app_context_processor
def _buttons():
    """Which national sign-in buttons the sign-in page shows (only configured providers)."""
    return {"national_signin": {name: enabled(name) is not None for name in NAMES}}


class _Off(Exception):
    """The provider is not configured: its routes lead back to the sign-in page."""


def _provider(name):
    provider = enabled(name)
    if provider is None:
        raise _Off(name)
    return provider


@bp.errorhandler(_Off)
def _off(_error):
    return redirect(url_for("auth.login"))


def _start(name):
    provider = _provider(name)
    try:
        return redirect(flow.start(provider, request.form.get("next", "")), 303)
    except Unavailable as error:
        current_app.logger.warning("%s unavailable: %s", name, error)
        return render("national_signin/unavailable.html", status=503, provider=NAMES[name],
                      title=_("%(provider)s est indisponible", provider=NAMES[name]))


def _back(name):
    """(identity, next, None) from the provider, or (None, None, the page saying why not)."""
    provider = _provider(name)
    try:
        return (*flow.finish(provider, request.args), None)
    except Refused as refusal:
        current_app.logger.warning("%s sign-in refused: %s", name, refusal.reason)
        return None, None, _refused(name, refusal.reason, status=400)
    except Unavailable as error:
        current_app.logger.warning("%s unavailable: %s", name, error)
        return None, None, render(
            "national_signin/unavailable.html", status=503, provider=NAMES[name],
            title=_("%(provider)s est indisponible", provider=NAMES[name]))


def _signed_in(user, method, id_token, next_url="", message=None):
    """Open the session, recorded as opened by this provider, and go where the person goes."""
    sign_in(user)
    user.session_row.method = method
    user.session_row.save(only=[type(user.session_row).method])
    logout.remember(method, id_token)
    if message:
        flash(message, "success")
    return redirect(safe_next(next_url) if next_url else url_for("home.index"), 303)


@bp.route("/connexion/franceconnect", methods=["POST"])
@limiter.limit("20 per minute")
@public
def franceconnect():
    """To FranceConnect, with a fresh state, nonce and PKCE challenge."""
    return _start(FRANCECONNECT)


@bp.route("/connexion/franceconnect/retour")
@limiter.limit("20 per minute")
@public
def franceconnect_back():
    """Back from FranceConnect: a linked account goes in, a first time is confirmed."""
    identity, next_url, failed = _back(FRANCECONNECT)
    if failed:
        return failed
    kind, found = citizens.outcome(identity)
    if kind == "linked":
        if not found.user.active:
            return _refused(FRANCECONNECT, "inactive")
        citizens.used(found)
        return _signed_in(found.user, FRANCECONNECT, identity.id_token, next_url)
    if kind == "confirm":
        session[PENDING_KEY] = {"subject": identity.subject, "space": found.id,
                                "at": time.time(), "next": next_url,
                                "id_token": identity.id_token}
        return redirect(url_for("national_signin.confirm"), 303)
    if kind == "not_activated":
        return redirect(url_for("national_signin.not_activated"), 303)
    return redirect(url_for("national_signin.no_space"), 303)


@bp.route("/connexion/franceconnect/aucun-espace")
@public
def no_space():
    """FranceConnect's identity matches no open space: the ways to get one."""
    _provider(FRANCECONNECT)
    return render("national_signin/no_space.html",
                  title=_("Nous n'avons pas trouvé d'espace santé à votre identité"))


@bp.route("/connexion/franceconnect/espace-a-activer")
@public
def not_activated():
    """The identity's space exists but waits for its activation code."""
    _provider(FRANCECONNECT)
    return render("national_signin/not_activated.html",
                  title=_("Votre espace santé n'est pas encore activé"))


def _refused(name, reason, status=403):
    return render("national_signin/refused.html", status=status, provider=NAMES[name],
                  reason=reason, retry=f"national_signin.{name}",
                  title=_("La connexion avec %(provider)s n'a pas abouti", provider=NAMES[name]))


def _pending():
    """(space, subject, next, ID token) of the link waiting to be confirmed, or None."""
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_TTL:
        session.pop(PENDING_KEY, None)
        return None
    space = Space.get_or_none(Space.id == pending["space"])
    if space is None or space.owner_id is None or not space.owner.active:
        return None
    return space, pending["subject"], pending.get("next", ""), pending.get("id_token", "")


@bp.route("/connexion/franceconnect/confirmer", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def confirm():
    """A first FranceConnect sign-in: the holder proves the account is theirs (signed in
    already, or with its password), then the link is made."""
    _provider(FRANCECONNECT)
    pending = _pending()
    if pending is None:
        flash(_("Le délai pour lier votre compte est dépassé. Recommencez avec FranceConnect."),
              "info")
        return redirect(url_for("auth.login"), 303)
    space, subject, next_url, id_token = pending
    owner, user = space.owner, signed_in_user()
    if user is not None and user.id != owner.id:
        return _refused(FRANCECONNECT, "other_account")
    form = ConfirmForm()
    if request.method == "POST" and user is not None:  # signed in: the account is theirs
        return _link(space, subject, next_url, id_token)
    if form.validate_on_submit():
        if LOGIN_PER_ACCOUNT.blocked(owner.email):
            form.password.errors.append(_(
                "Trop de tentatives. Pour protéger votre compte, réessayez dans "
                "%(minutes)s minutes.", minutes=LOGIN_PER_ACCOUNT.retry_minutes(owner.email)))
        elif check_password(owner, form.password.data):
            LOGIN_PER_ACCOUNT.clear(owner.email)
            return _link(space, subject, next_url, id_token)
        else:
            LOGIN_PER_ACCOUNT.fail(owner.email)
            form.password.errors.append(_("Ce mot de passe est incorrect. Vérifiez-le et "
                                          "réessayez."))
    return render("national_signin/confirm.html", form=form, space=space,
                  signed_in=user is not None, email=_masked(owner.email),
                  status=400 if form.errors else 200,
                  title=_("Lier FranceConnect à votre compte"))


def _link(space, subject, next_url, id_token):
    session.pop(PENDING_KEY, None)
    link = citizens.link(flow.Identity(FRANCECONNECT, subject, {}), space)
    if link is None:
        return _refused(FRANCECONNECT, "other_account")
    message = _("FranceConnect est lié à votre compte : la prochaine fois, il suffira de "
                "s'identifier avec FranceConnect.")
    if signed_in_user() is not None:  # already in: the session goes on
        flash(message, "success")
        return redirect(safe_next(next_url) if next_url else url_for("home.index"), 303)
    return _signed_in(link.user, FRANCECONNECT, id_token, next_url, message)


def _masked(email):
    """c•••@example.org: enough for the holder to recognise, little for anyone else."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


@bp.route("/connexion/pro-sante-connect", methods=["POST"])
@limiter.limit("20 per minute")
@public
def pro_sante_connect():
    """To Pro Santé Connect, with a fresh state, nonce and PKCE challenge."""
    return _start(PRO_SANTE_CONNECT)


@bp.route("/connexion/pro-sante-connect/retour")
@limiter.limit("20 per minute")
@public
def pro_sante_connect_back():
    """Back from Pro Santé Connect: the RPPS number names the professional account."""
    identity, next_url, failed = _back(PRO_SANTE_CONNECT)
    if failed:
        return failed
    rpps = professionals.rpps_of(identity.claims)
    user = professionals.account_for(rpps) if rpps else None
    if user is None:
        session[RPPS_KEY] = rpps or ""
        return redirect(url_for("national_signin.no_pro_account"), 303)
    if not user.active:
        return _refused(PRO_SANTE_CONNECT, "inactive")
    return _signed_in(user, PRO_SANTE_CONNECT, identity.id_token, next_url)


@bp.route("/connexion/pro-sante-connect/compte-inconnu")
@public
def no_pro_account():
    """No professional account has the RPPS number Pro Santé Connect gave."""
    _provider(PRO_SANTE_CONNECT)
    return render("national_signin/no_pro_account.html", rpps=session.get(RPPS_KEY, ""),
                  title=_("Aucun compte professionnel pour ce numéro RPPS"))
