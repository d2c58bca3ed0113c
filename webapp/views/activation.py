"""Public life-cycle pages: activate one's space (identity and code, then e-mail and
password, then the code sent to that address), or object to it before the deadline and
get a proof of objection."""

import time

from flask import Blueprint, flash, make_response, redirect, request, session, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts import credentials, lifecycle, objection_proof
from webapp.accounts.activation_forms import AccountForm, CodeForm, ConfirmForm, IdentityForm
from webapp.guards import public
from webapp.models.accounts import User
from webapp.models.privacy import EmailChange
from webapp.models.spaces import Space
from webapp.policy import proofs
from webapp.ratelimit import Attempts, limiter
from webapp.rendering import render
from webapp.security import hash_password
from webapp.sessions.auth import sign_in
from webapp.views.recovery import typed_identity

bp = Blueprint("activation", __name__)
PER_NIR = Attempts("activation-nir", "5 per 15 minutes")
PER_ADDRESS = Attempts("activation-address", "30 per 15 minutes")
CODES_PER_SPACE = Attempts("activation-email", "5 per hour")  # codes sent to addresses
STEP_TTL = 15 * 60  # seconds between one step of the activation and the next


UNPROVEN = _l("Ces informations ne permettent pas d'activer un espace santé. Vérifiez votre "
              "numéro de sécurité sociale, votre date de naissance et le code d'activation, "
              "tels qu'ils figurent sur votre dernier courrier. Un code ne fonctionne plus "
              "après 5 essais incorrects, ni après l'envoi d'un nouveau courrier. Si votre "
              "espace est déjà activé, connectez-vous.")
# Said only to whoever typed the right code; anything else reads like an unknown person.
MESSAGES = {
    "expired": _l("Ce code d'activation a expiré. Demandez un nouveau code par courrier "
                  "avec le lien « J'ai perdu mon code » de cette page."),
    "objected": _l("Vous vous êtes opposé à la création de cet espace : il ne peut pas être "
                   "activé."),
    "closed": _l("Cet espace a été fermé. Connectez-vous pour le rouvrir s'il est encore "
                 "archivé."),
    "minor": _l("Cet espace est celui d'un enfant mineur : il est géré par ses représentants "
                "légaux jusqu'à ses 18 ans."),
}


def _check_identity(form):
    """Validate the identity form; return the space, or None with errors on the form."""
    typed = typed_identity(form)
    if typed is None or form.errors:
        return None
    nir, birth = typed
    address = _address()
    if PER_NIR.blocked(nir) or PER_ADDRESS.blocked(address):
        minutes = max(PER_NIR.retry_minutes(nir), PER_ADDRESS.retry_minutes(address))
        form.code.errors.append(_("Trop de tentatives. Réessayez dans %(minutes)s minutes.",
                                  minutes=minutes))
        return None
    return lifecycle.find_space(nir, birth), nir, address


def _address():
    return request.remote_addr or "-"


@bp.route("/activation", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def start():
    """Step 1: the person proves who they are with the letter's code."""
    form = IdentityForm()
    if form.validate_on_submit():
        found = _check_identity(form)
        if found is not None:
            space, nir, address = found
            problem = lifecycle.activation_problem(space, form.code.data)
            if problem is None:
                PER_NIR.clear(nir)
                session["activation"] = {"space": space.id, "at": time.time()}
                return redirect(url_for("activation.account"), 303)
            PER_NIR.fail(nir)
            PER_ADDRESS.fail(address)
            if problem in MESSAGES:
                form.code.errors.append(str(MESSAGES[problem]))
            else:
                form.birth_date.errors.append(str(UNPROVEN))
    return render("activation/start.html", title=_("Activer mon espace santé"), form=form,
                  step=1)


def _pending_space():
    pending = session.get("activation")
    if not pending or time.time() - pending["at"] > STEP_TTL:
        session.pop("activation", None)
        return None
    space = Space.get_or_none(Space.id == pending["space"])
    if space is None or space.owner_id is not None or space.state not in ("created", "active"):
        return None
    return space


def _expired():
    flash(_("Votre demande d'activation a expiré. Recommencez en saisissant votre code."),
          "info")
    return redirect(url_for("activation.start"))


@bp.route("/activation/compte", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def account():
    """Step 2: the e-mail address and password of the new account; a code goes to the
    address (or, when it is another account's, its owner is told: the page is the same)."""
    space = _pending_space()
    if space is None:
        return _expired()
    form = AccountForm()
    if form.validate_on_submit():
        key = str(space.id)
        if CODES_PER_SPACE.blocked(key):
            form.email.errors.append(_("Trop de codes demandés. Réessayez dans %(minutes)s "
                                       "minutes.", minutes=CODES_PER_SPACE.retry_minutes(key)))
        else:
            CODES_PER_SPACE.fail(key)
            pending = session["activation"]
            waiting = User.get_or_none(User.id == pending.get("account"))
            user = lifecycle.account_in_waiting(space, hash_password(form.password.data),
                                                str(get_locale() or "fr"), waiting)
            credentials.request_email_change(user, form.email.data)
            session["activation"] = dict(pending, account=user.id, at=time.time())
            return redirect(url_for("activation.verify"), 303)
    return render("activation/account.html", title=_("Créer vos identifiants"), form=form,
                  space=space, step=2)


@bp.route("/activation/verification", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def verify():
    """Step 3: the code sent to the address proves it; then the space opens."""
    space = _pending_space()
    user = space and User.get_or_none(User.id == session["activation"].get("account"))
    if user is None:
        return _expired()
    change = EmailChange.pending_for(user)
    if change is None:
        flash(_("Le code a expiré. Saisissez à nouveau votre adresse e-mail pour en recevoir "
                "un autre."), "info")
        return redirect(url_for("activation.account"))
    form = CodeForm()
    if form.validate_on_submit():
        result = credentials.confirm_email_change(user, change, form.code.data)
        if result == "changed":
            if not lifecycle.activate(space, user):
                return _expired()
            session.pop("activation", None)
            sign_in(user)
            flash(_("Votre espace santé est activé. Bienvenue !"), "success")
            return redirect(url_for("home.index"), 303)
        if result == "locked":
            flash(_("Trop de codes incorrects. Saisissez à nouveau votre adresse e-mail pour "
                    "recevoir un nouveau code."), "error")
            return redirect(url_for("activation.account"), 303)
        form.code.errors.append(_("Ce code est incorrect. Vérifiez le dernier e-mail reçu."))
    return render("activation/verify.html", title=_("Confirmer votre adresse e-mail"),
                  form=form, change=change, step=3)


@bp.route("/opposition", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def objection():
    """Object to the space: identity first, then a confirmation."""
    form = IdentityForm()
    refusal = None
    if form.validate_on_submit():
        found = _check_identity(form)
        if found is not None:
            space, nir, address = found
            if space is None or not lifecycle.check_code(space, form.code.data):
                PER_NIR.fail(nir)
                PER_ADDRESS.fail(address)
                form.birth_date.errors.append(str(UNPROVEN))  # same for both: tells nothing
            elif lifecycle.can_object(space):
                session["objection"] = {"space": space.id, "at": time.time()}
                return redirect(url_for("activation.objection_confirm"), 303)
            else:
                refusal = _refusal(space)
    return render("activation/objection.html", title=_("M'opposer à la création de mon espace"),
                  form=form, refusal=refusal, delay_weeks=6)


def _refusal(space):
    if space.state == "created":
        return _("Le délai pour vous opposer est dépassé depuis le %(date)s : votre espace est "
                 "ouvert. Vous pouvez l'activer puis le fermer à tout moment depuis vos "
                 "paramètres ; ses données seront alors supprimées.",
                 date=format_date(lifecycle.objection_deadline(space), "long"))
    return _("Votre espace a déjà été activé : vous ne pouvez plus vous y opposer, mais vous "
             "pouvez le fermer à tout moment depuis vos paramètres.")


@bp.route("/opposition/confirmer", methods=["GET", "POST"])
@public
def objection_confirm():
    """Explain the consequences, then record the objection."""
    pending = session.get("objection")
    space = Space.get_or_none(Space.id == pending["space"]) if pending and \
        time.time() - pending["at"] < STEP_TTL else None
    if space is None or not lifecycle.can_object(space):
        return redirect(url_for("activation.objection"))
    form = ConfirmForm()
    if form.validate_on_submit():
        proof = lifecycle.object_to(space)
        session.pop("objection", None)
        session["objection_ref"] = proof.reference
        return redirect(url_for("activation.proof"), 303)
    return render("activation/objection_confirm.html", title=_("Confirmer votre opposition"),
                  form=form, space=space, deadline=lifecycle.objection_deadline(space))


def _proof():
    """The proof of the objection made in this browser session, or None."""
    return proofs.objection_proof(session.get("objection_ref", ""))


@bp.route("/opposition/attestation")
@public
def proof():
    """The proof of objection, printable."""
    proof = _proof()
    if proof is None:
        return redirect(url_for("activation.objection"))
    return render("activation/proof.html", title=_("Attestation d'opposition"), proof=proof,
                  lines=objection_proof.lines(proof))


@bp.route("/opposition/attestation.pdf")
@public
def proof_pdf():
    """The proof of objection as a PDF file."""
    proof = _proof()
    if proof is None:
        return redirect(url_for("activation.objection"))
    response = make_response(objection_proof.pdf(proof))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="attestation-opposition-{proof.reference}.pdf"'
    return response
