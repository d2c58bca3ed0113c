"""Sign-in (password, then TOTP for mediators) and sign-out."""

import time

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.db import utcnow
from webapp.guards import public
from webapp.models.accounts import User
from webapp.national_signin import logout as national_logout
from webapp.ratelimit import LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS, TOTP_PER_ACCOUNT, limiter
from webapp.rendering import render, safe_next
from webapp.security import allow_form_target, burn_password_time, check_password, verify_totp
from webapp.sessions.auth import sign_in, sign_out
from webapp.sessions.forms import CodeForm, LoginForm
from webapp.smart.clients import form_targets_after

bp = Blueprint("auth", __name__)
PENDING_TTL = 300  # seconds between the password step and the code step


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def login():
    """Password sign-in; one generic message for every failure."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    next_url = request.values.get("next", "")
    allow_form_target(*form_targets_after(next_url))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        address = request.remote_addr or "-"
        if LOGIN_PER_ACCOUNT.blocked(email) or LOGIN_PER_ADDRESS.blocked(address):
            minutes = max(LOGIN_PER_ACCOUNT.retry_minutes(email),
                          LOGIN_PER_ADDRESS.retry_minutes(address))
            form.password.errors.append(_(
                "Trop de tentatives. Pour protéger votre compte, réessayez dans "
                "%(minutes)s minutes.", minutes=minutes))
            return render("auth/login.html", title=_("Connexion"), form=form, next=next_url,
                          status=429)
        user = User.by_email(email)
        ok = check_password(user, form.password.data) if user else burn_password_time(
            form.password.data)
        if ok and user.active:
            LOGIN_PER_ACCOUNT.clear(email)
            if user.role == "mediator":
                session["pending"] = {"user": user.id, "at": time.time(), "next": next_url}
                return redirect(url_for("auth.code"), 303)
            sign_in(user)
            return redirect(safe_next(next_url), 303)
        LOGIN_PER_ACCOUNT.fail(email)
        LOGIN_PER_ADDRESS.fail(address)
        form.password.errors.append(_(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez."))
    return render("auth/login.html", title=_("Connexion"), form=form, next=next_url)


def _pending_user():
    pending = session.get("pending")
    if not pending or time.time() - pending["at"] > PENDING_TTL:
        session.pop("pending", None)
        return None, ""
    return User.get_or_none((User.id == pending["user"]) & (User.active == True)), \
        pending.get("next", "")  # noqa: E712


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def code():
    """Second step for mediators: a TOTP code from their authenticator app."""
    user, next_url = _pending_user()
    if user is None:
        flash(_("Votre session de connexion a expiré. Saisissez à nouveau votre mot de passe."),
              "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if TOTP_PER_ACCOUNT.blocked(str(user.id)):
            form.code.errors.append(_("Trop de codes incorrects. Réessayez dans %(minutes)s "
                                      "minutes.", minutes=TOTP_PER_ACCOUNT.retry_minutes(
                                          str(user.id))))
        elif verify_totp(user, form.code.data):
            sign_in(user, totp_verified=True)
            return redirect(safe_next(next_url), 303)
        else:
            TOTP_PER_ACCOUNT.fail(str(user.id))
            form.code.errors.append(_("Ce code est incorrect ou a expiré. Saisissez le code "
                                      "affiché maintenant par votre application."))
    return render("auth/code.html", title=_("Code de sécurité"), form=form, reverify=False)


@bp.route("/connexion/verification", methods=["GET", "POST"])
@public
def reverify():
    """A mediator idle for 15 minutes confirms a new code before going on."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role != "mediator":
        return redirect(url_for("home.index"))
    form = CodeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if TOTP_PER_ACCOUNT.blocked(str(user.id)):
            sign_out()
            return redirect(url_for("auth.login"), 303)
        if verify_totp(user, form.code.data):
            user.session_row.totp_verified_at = utcnow()
            user.session_row.save()
            return redirect(safe_next(request.args.get("next")), 303)
        TOTP_PER_ACCOUNT.fail(str(user.id))
        form.code.errors.append(_("Ce code est incorrect ou a expiré. Saisissez le code "
                                  "affiché maintenant par votre application."))
    return render("auth/code.html", title=_("Confirmer votre identité"), form=form,
                  reverify=True)


@bp.route("/deconnexion", methods=["POST"])
@public
def logout():
    """End the session for real (and FranceConnect's or Pro Santé Connect's, if it opened it)."""
    provider_end = national_logout.end_url()
    sign_out()
    flash(_("Vous êtes déconnecté. Pensez à fermer le navigateur sur un ordinateur partagé."),
          "success")
    return redirect(provider_end or url_for("auth.login"), 303)
