"""Getting back in: a forgotten password (a link to the account's address, then the birth
date), a code from a France Services mediator for someone without a usable address, and
a new activation code by post. No answer says whether someone has a space or an account."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from webapp.accounts import letters, lifecycle, recovery
from webapp.accounts.forms import (
    DOCUMENT_KINDS,
    AssistedForm,
    CodePasswordForm,
    ForgotForm,
    LostCodeForm,
    NewPasswordForm,
)
from webapp.assist.pdf import attestation_document
from webapp.guards import public, roles, signed_in_user
from webapp.i18n import show_date, show_datetime
from webapp.policy import proofs
from webapp.ratelimit import Attempts, limiter
from webapp.rendering import render
from webapp.sessions.auth import sign_in
from webapp.views.emergency import parse_date

bp = Blueprint("recovery", __name__)
LINKS_PER_ADDRESS = Attempts("reset-address", "10 per hour")
LINKS_PER_ACCOUNT = Attempts("reset-account", "3 per hour")
CODES_PER_NIR = Attempts("recovery-nir", "5 per 15 minutes")
CODES_PER_ADDRESS = Attempts("recovery-address", "30 per 15 minutes")
LETTERS_PER_NIR = Attempts("new-code-nir", "3 per day")
LETTERS_PER_ADDRESS = Attempts("new-code-address", "20 per hour")
ISSUED_PER_MEDIATOR = Attempts("recovery-mediator", "20 per day")
STEP_TTL = 30 * 60  # seconds a followed link, or a printed code, stays in the session


def _address():
    return request.remote_addr or "-"


def _too_many(field, *counters):
    """True (with the error on the field) when one of (Attempts, key) is used up."""
    blocked = [(c, key) for c, key in counters if c.blocked(key)]
    if blocked:
        minutes = max(c.retry_minutes(key) for c, key in blocked)
        field.errors.append(_("Trop de demandes. Réessayez dans %(minutes)s minutes.",
                              minutes=minutes))
    return bool(blocked)


def typed_identity(form):
    """(NIR, birth date) typed in the form, or None with the errors on its fields."""
    nir, birth = lifecycle.normalize_nir(form.nir.data), parse_date(form.birth_date.data)
    if not lifecycle.nir_format_ok(nir):
        form.nir.errors.append(_("Le numéro de sécurité sociale comporte 15 chiffres (13 "
                                 "chiffres et une clé de 2 chiffres)."))
    elif not lifecycle.nir_key_ok(nir):
        form.nir.errors.append(_("La clé (les 2 derniers chiffres) ne correspond pas au "
                                 "numéro : vérifiez chaque chiffre."))
    if birth is None:
        form.birth_date.errors.append(_("Saisissez la date sous la forme JJ/MM/AAAA, par "
                                        "exemple 08/03/1995."))
    return None if form.nir.errors or form.birth_date.errors else (nir, birth)


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def forgot():
    """Ask for a link; the answer is the same whether the address has an account or not."""
    form, status = ForgotForm(), 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if _too_many(form.email, (LINKS_PER_ADDRESS, _address())):
            status = 429
        else:
            LINKS_PER_ADDRESS.fail(_address())
            if not LINKS_PER_ACCOUNT.blocked(email):  # silently: nothing said of the account
                LINKS_PER_ACCOUNT.fail(email)
                recovery.request_link(email)
            return redirect(url_for("recovery.sent"), 303)
    return render("recovery/forgot.html", title=_("Mot de passe oublié"), form=form,
                  status=status)


@bp.route("/mot-de-passe-oublie/envoye")
@public
def sent():
    """What happens next, said the same way for every address."""
    return render("recovery/sent.html", title=_("Consultez votre messagerie"),
                  minutes=int(recovery.LINK_VALID.total_seconds() // 60))


@bp.route("/mot-de-passe-oublie/lien/<token>")
@public
def link(token):
    """The link of the e-mail: kept in the session, then out of the address bar."""
    found = recovery.link_for(token)
    if found is None:
        return render("recovery/link_invalid.html", title=_("Ce lien ne fonctionne plus"))
    session["reset_link"] = {"id": found.id, "at": time.time()}
    return redirect(url_for("recovery.new_password"), 303)


@bp.route("/mot-de-passe-oublie/nouveau", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def new_password():
    """The birth date of the account's holder, then the new password."""
    pending = session.get("reset_link") or {}
    found = recovery.usable_link(pending.get("id", 0)) \
        if time.time() - pending.get("at", 0) < STEP_TTL else None
    if found is None:
        session.pop("reset_link", None)
        return render("recovery/link_invalid.html", title=_("Ce lien ne fonctionne plus"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        birth = parse_date(form.birth_date.data)
        outcome = recovery.reset_with_link(found, birth, form.password.data)
        if outcome == "done":
            return _signed_in_again(found.user)
        if outcome == "locked":
            session.pop("reset_link", None)
            return render("recovery/link_invalid.html", title=_("Ce lien ne fonctionne plus"))
        form.birth_date.errors.append(_("Cette date de naissance n'est pas celle du titulaire "
                                        "du compte. Saisissez-la sous la forme JJ/MM/AAAA."))
    return render("recovery/new_password.html", title=_("Choisir un nouveau mot de passe"),
                  form=form)


def _signed_in_again(user):
    sign_in(user)  # a fresh session: nothing of the recovery steps stays in it
    flash(_("Votre nouveau mot de passe est enregistré. Toutes vos autres sessions sont "
            "fermées, et un e-mail vous le confirme."), "success")
    return redirect(url_for("home.index"), 303)


@bp.route("/mot-de-passe-oublie/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def with_code():
    """A new password with the code a France Services mediator printed for the person."""
    form = CodePasswordForm()
    if form.validate_on_submit():
        found = typed_identity(form)
        if found and not _too_many(form.code, (CODES_PER_NIR, found[0]),
                                   (CODES_PER_ADDRESS, _address())):
            space = recovery.account_of(*found)
            if recovery.reset_with_code(space, form.code.data, form.password.data) == "done":
                return _signed_in_again(space.owner)
            CODES_PER_NIR.fail(found[0])
            CODES_PER_ADDRESS.fail(_address())
            form.code.errors.append(_("Ces informations ne correspondent à aucun code en "
                                      "cours. Vérifiez le numéro, la date de naissance et le "
                                      "code de l'attestation, ou demandez un nouveau code."))
    return render("recovery/with_code.html", title=_("Nouveau mot de passe avec un code"),
                  form=form)


@bp.route("/activation/nouveau-code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def lost_code():
    """A new activation code by post, to the address on file: same answer for everyone."""
    form = LostCodeForm()
    if form.validate_on_submit():
        found = typed_identity(form)
        postal_code = form.postal_code.data.strip()
        if not (len(postal_code) == 5 and postal_code.isdigit()):
            form.postal_code.errors.append(_("Le code postal comporte 5 chiffres, par exemple "
                                             "75019."))
        elif found and not _too_many(form.postal_code, (LETTERS_PER_NIR, found[0]),
                                     (LETTERS_PER_ADDRESS, _address())):
            LETTERS_PER_NIR.fail(found[0])
            LETTERS_PER_ADDRESS.fail(_address())
            letters.request_new_code(*found, postal_code)
            return redirect(url_for("recovery.lost_code_sent"), 303)
    return render("recovery/lost_code.html", title=_("J'ai perdu mon code d'activation"),
                  form=form)


@bp.route("/activation/nouveau-code/demande")
@public
def lost_code_sent():
    """What happens next, said the same way for everyone."""
    return render("recovery/lost_code_sent.html", title=_("Votre demande est enregistrée"))


@bp.route("/assistance/recuperation", methods=["GET", "POST"])
@roles("mediator")
def assisted():
    """A mediator, with the person present and their identity document checked, prints a
    code for them to choose a new password."""
    mediator = signed_in_user()
    form = AssistedForm()
    if form.validate_on_submit():
        found = typed_identity(form)
        key = str(mediator.id)
        if found and not _too_many(form.nir, (ISSUED_PER_MEDIATOR, key)):
            ISSUED_PER_MEDIATOR.fail(key)
            space = recovery.account_of(*found)
            if space is not None:
                row, code = recovery.issue_code(mediator, space, form.document_kind.data,
                                                form.document_end.data.strip())
                session["assisted_recovery"] = {"ref": row.reference, "code": code,
                                                "at": time.time()}
                return redirect(url_for("recovery.attestation"), 303)
            form.birth_date.errors.append(_("Ces informations ne correspondent à aucun espace "
                                            "activé. Vérifiez le numéro et la date de "
                                            "naissance sur la pièce d'identité."))
    return render("recovery/assisted.html", title=_("Aider une personne à retrouver son "
                                                    "compte"), form=form)


def _printed():
    """(recovery, code) printed in this session by this mediator, or (None, None)."""
    pending = session.get("assisted_recovery") or {}
    row = proofs.printed_recovery(pending.get("ref", ""), signed_in_user())
    if row is None or time.time() - pending.get("at", 0) > STEP_TTL:
        session.pop("assisted_recovery", None)
        return None, None
    return row, pending["code"]


def _attestation_rows(row, code):
    kinds = dict(DOCUMENT_KINDS)
    return [
        (_("Personne"), row.space.display_name),
        (_("Date de naissance"), show_date(row.space.birth_date)),
        (_("Code pour choisir un nouveau mot de passe"), code),
        (_("Valable jusqu'au"), show_datetime(row.expires_at)),
        (_("Pièce d'identité vérifiée"), _("%(kind)s, numéro se terminant par %(end)s",
                                           kind=kinds.get(row.document_kind, "-"),
                                           end=row.document_end)),
        (_("Remis par"), _("%(name)s, %(office)s", name=row.mediator_name,
                           office=row.office_name or "-")),
        (_("Date"), show_datetime(row.created_at)),
        (_("Référence"), row.reference),
    ]


def _instructions():
    where = current_app.config["BASE_URL"].rstrip("/") + url_for("recovery.with_code")
    return _("Allez sur %(url)s, saisissez votre numéro de sécurité sociale, votre date de "
             "naissance et ce code, puis choisissez un nouveau mot de passe. Le code ne "
             "fonctionne qu'une fois. Gardez cette feuille pour vous.", url=where)


@bp.route("/assistance/recuperation/attestation")
@roles("mediator")
def attestation():
    """The attestation to print for the person, with their code."""
    row, code = _printed()
    if row is None:
        return redirect(url_for("recovery.assisted"))
    return render("recovery/attestation.html", title=_("Attestation de récupération de "
                                                       "compte"),
                  rows=_attestation_rows(row, code), instructions=_instructions())


@bp.route("/assistance/recuperation/attestation.pdf")
@roles("mediator")
def attestation_pdf():
    """The same attestation as a PDF file."""
    row, code = _printed()
    if row is None:
        return redirect(url_for("recovery.assisted"))
    pdf = attestation_document(_("Attestation de récupération de compte"),
                               _attestation_rows(row, code), _instructions())
    response = make_response(bytes(pdf.output()))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="recuperation-{row.reference}.pdf"'
    return response
