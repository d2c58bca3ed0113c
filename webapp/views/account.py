"""My account and my data: e-mail (proven by a code sent to it), password (other
sessions end), export of the space, closing and reopening it."""

import os

from flask import Blueprint, abort, flash, g, redirect, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp import policy
from webapp.accounts import credentials, export, lifecycle
from webapp.accounts.forms import CloseForm, CodeForm, EmailForm, PasswordForm
from webapp.audit import Action
from webapp.guards import SPACE, on_space, roles
from webapp.models.privacy import Closure, EmailChange, ExportJob
from webapp.ratelimit import Attempts
from webapp.rendering import render
from webapp.scopes import Capacity, Scope
from webapp.security import check_password

bp = Blueprint("account", __name__)
EMAIL_CHANGES = Attempts("email-change", "5 per hour")


def _me():
    return current_user._get_current_object()


@bp.route("/compte")
@roles("citizen")
def index():
    """The account page: sign-in details, and what one can do with one's data."""
    return render("account/index.html", title=_("Mon compte"), user=_me(),
                  pending=EmailChange.pending_for(_me()))


@bp.route("/compte/email", methods=["GET", "POST"])
@roles("citizen")
def email():
    """Ask for a new e-mail address: a code is sent to it."""
    form = EmailForm()
    user = _me()
    if form.validate_on_submit():
        new = form.email.data.strip().lower()
        if not check_password(user, form.password.data):
            form.password.errors.append(_("Le mot de passe est incorrect."))
        elif new == user.email:
            form.email.errors.append(_("C'est déjà votre adresse e-mail actuelle."))
        elif EMAIL_CHANGES.blocked(str(user.id)):
            form.email.errors.append(_("Trop de demandes. Réessayez dans %(minutes)s minutes.",
                                       minutes=EMAIL_CHANGES.retry_minutes(str(user.id))))
        else:  # whether the address has an account is told only to its owner, by e-mail
            EMAIL_CHANGES.fail(str(user.id))
            credentials.request_email_change(user, new)
            return redirect(url_for("account.email_confirm"), 303)
    return render("account/email.html", title=_("Changer d'adresse e-mail"), form=form)


@bp.route("/compte/email/verifier", methods=["POST"])
@roles("citizen")
def verify_email():
    """Send a code to the account's own address, never proven (accounts made before
    addresses were proven): until it is typed, no e-mail goes there."""
    user, key = _me(), str(_me().id)
    if user.email_verified:
        return redirect(url_for("account.index"), 303)
    if EMAIL_CHANGES.blocked(key):
        flash(_("Trop de demandes. Réessayez dans %(minutes)s minutes.",
                minutes=EMAIL_CHANGES.retry_minutes(key)), "error")
        return redirect(url_for("account.index"), 303)
    EMAIL_CHANGES.fail(key)
    credentials.request_email_change(user, user.email)
    return redirect(url_for("account.email_confirm"), 303)


@bp.route("/compte/email/confirmer", methods=["GET", "POST"])
@roles("citizen")
def email_confirm():
    """Type the code received at the new address; then the address changes."""
    user = _me()
    change = EmailChange.pending_for(user)
    if change is None:
        flash(_("Aucun changement d'adresse n'est en attente, ou le code a expiré. "
                "Recommencez."), "info")
        return redirect(url_for("account.email"))
    form = CodeForm()
    if form.validate_on_submit():
        result = credentials.confirm_email_change(user, change, form.code.data)
        if result == "changed":
            flash(_("Votre adresse e-mail est maintenant %(email)s.", email=user.email),
                  "success")
            return redirect(url_for("account.index"), 303)
        if result == "locked":
            flash(_("Trop de codes incorrects. Demandez un nouveau code."), "error")
            return redirect(url_for("account.email"), 303)
        form.code.errors.append(_("Ce code est incorrect. Vérifiez le dernier e-mail reçu."))
    return render("account/email_confirm.html", title=_("Confirmer la nouvelle adresse"),
                  form=form, change=change)


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@roles("citizen")
def password():
    """Change the password; every other session ends."""
    form = PasswordForm()
    user = _me()
    if form.validate_on_submit():
        if not check_password(user, form.current.data):
            form.current.errors.append(_("Le mot de passe actuel est incorrect."))
        else:
            ended = credentials.change_password(user, form.password.data)
            flash(_("Votre mot de passe est changé.") + " " + (
                _("Vos autres sessions ont été fermées.") if ended else ""), "success")
            return redirect(url_for("account.index"), 303)
    return render("account/password.html", title=_("Changer de mot de passe"), form=form)


@bp.route(SPACE + "/export", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def export_page():
    """Ask for an export of everything in the space, and download it when ready."""
    if request.method == "POST":
        job = export.request_export(g.access, str(get_locale() or "fr"))
        flash(_("Votre export est prêt.") if job.state == "ready" else
              _("Votre export est en préparation. Vous pourrez le télécharger ici dès qu'il "
                "sera prêt."), "success")
        return redirect(url_for("account.export_page"), 303)
    jobs = list(g.access.query(ExportJob).where(
        ExportJob.state.in_(("pending", "running", "ready")))
        .order_by(ExportJob.id.desc()).limit(5))
    busy = any(j.state in ("pending", "running") for j in jobs)
    return render("account/export.html", partial="account/_export_status.html",
                  title=_("Exporter mes données"), jobs=jobs, busy=busy)


@bp.route(SPACE + "/export/<int:job_id>/telecharger")
@on_space(Scope.PRIVACY)
def export_download(job_id):
    """Send a ready export archive (streamed from disk)."""
    job = g.access.get(ExportJob, job_id)
    if job.state != "ready" or not job.file_path or not os.path.exists(job.file_path):
        abort(404)
    g.access.note(target=job, action=Action.EXPORT_DOWNLOAD)
    name = f"mon-espace-sante-{job.finished_at:%Y-%m-%d}.zip"
    return send_file(export.open_archive(job.file_path), mimetype="application/zip",
                     as_attachment=True, download_name=name)


@bp.route(SPACE + "/fermer", methods=["GET", "POST"])
@on_space(Scope.PRIVACY)
def close():
    """Close one's own space, after a clear explanation and a confirmation."""
    if g.access.capacity != Capacity.OWNER:
        return render("account/close.html", title=_("Fermer l'espace santé"), form=None,
                      years=10)
    form = CloseForm()
    if form.validate_on_submit():
        if not check_password(_me(), form.password.data):
            form.password.errors.append(_("Le mot de passe est incorrect."))
        else:
            lifecycle.close(g.access, delete_soon=form.keep.data == "delete")
            return redirect(url_for("account.reopen"), 303)
    return render("account/close.html", title=_("Fermer mon espace santé"), form=form,
                  years=10)


@bp.route("/compte/rouvrir", methods=["GET", "POST"])
@roles("citizen")
def reopen():
    """A closed space: what happens to it, and reopening within the archive period."""
    space = policy.closed_space_of(_me())
    closure = Closure.current(space) if space else None
    if request.method == "POST":
        if space is None or not lifecycle.can_reopen(space):
            abort(404)
        lifecycle.reopen(space, _me())
        flash(_("Votre espace santé est rouvert, avec tout ce qu'il contenait."), "success")
        return redirect(url_for("home.space", ref=space.ref), 303)
    return render("account/reopen.html", title=_("Mon espace fermé"), space=space,
                  closure=closure, can_reopen=bool(space and lifecycle.can_reopen(space)))


def home_panel(access):
    """Home card of a holder whose address was never proven: no e-mail goes there yet."""
    user = access.actor
    if access.capacity not in (Capacity.OWNER, Capacity.GUARDIAN) or user.email_verified:
        return None
    return dict(title=_("Confirmez votre adresse e-mail"), href=url_for("account.index"),
                text=_("Tant que %(email)s n'est pas confirmée, aucun e-mail ne vous y est "
                       "envoyé.", email=user.email))
