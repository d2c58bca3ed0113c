"""Creating a mandate with the citizen present, one question per page."""

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.assist import actions, mandates
from webapp.assist.forms import (
    CitizenForm,
    CodeForm,
    DurationForm,
    LoginConsentForm,
    ScopesForm,
    TermsForm,
    TotpForm,
)
from webapp.forms import Form
from webapp.guards import roles
from webapp.models.mandates import ConsentCode
from webapp.models.spaces import Space
from webapp.policy import space_is_open
from webapp.ratelimit import LOGIN_PER_ACCOUNT, TOTP_PER_ACCOUNT, Attempts, limiter
from webapp.rendering import render
from webapp.security import verify_totp

bp = Blueprint("mandates", __name__)
LOOKUP_FAILURES = Attempts("mandate-lookup", "10 per 15 minutes")
STEPS = ("citizen", "scopes", "duration", "terms", "consent", "confirm")
KEY = "mandate_wizard"


def _wizard():
    return session.get(KEY) or {}


def _save(**values):
    data = dict(_wizard())
    data.update(values)
    session[KEY] = data


def _space():
    data = _wizard()
    space = Space.get_or_none(Space.id == data.get("space", 0))
    return space if space is not None and space_is_open(space) \
        and mandates.consenters(space) else None


def _first_missing():
    """The first step not done yet, so that no step can be skipped."""
    data = _wizard()
    if _space() is None:
        return "citizen"
    for step, key in (("scopes", "scopes"), ("duration", "duration"), ("terms", "terms")):
        if not data.get(key):
            return step
    return "consent" if not data.get("consent") else "confirm"


def _guard(step):
    missing = _first_missing()
    if STEPS.index(missing) < STEPS.index(step):
        return redirect(url_for(f"mandates.{missing}"))
    return None


def _page(step, form, **context):
    number = STEPS.index(step) + 1
    back = url_for(f"mandates.{STEPS[number - 2]}") if number > 1 else url_for("home.index")
    return render(f"mandates/{step}.html", form=form, step=number, steps=len(STEPS), back=back,
                  space=_space(), wizard=_wizard(), **context)


@bp.route("/mandats/nouveau")
@roles("mediator")
def new():
    """Start again from the first step."""
    session.pop(KEY, None)
    return redirect(url_for("mandates.citizen"))


@bp.route("/mandats/nouveau/personne", methods=["GET", "POST"])
@roles("mediator")
def citizen():
    """Step 1: find the citizen's space by NIR and birth date."""
    form = CitizenForm()
    user = current_user._get_current_object()
    if request.method == "GET" and _space() is not None:
        form.nir.data, form.birth_date.data = _space().nir, _space().birth_date
    if form.validate_on_submit():
        nir = "".join(ch for ch in form.nir.data.upper() if ch.isalnum())
        if LOOKUP_FAILURES.blocked(str(user.id)):
            form.nir.errors.append(_("Trop de recherches sans résultat. Réessayez dans "
                                     "%(minutes)s minutes.",
                                     minutes=LOOKUP_FAILURES.retry_minutes(str(user.id))))
        else:
            space = Space.get_or_none((Space.nir == nir)
                                      & (Space.birth_date == form.birth_date.data))
            if space is None or not space_is_open(space):
                LOOKUP_FAILURES.fail(str(user.id))
                form.nir.errors.append(_(
                    "Aucun espace santé ne correspond à ce numéro et à cette date de naissance. "
                    "Vérifiez-les sur la carte Vitale ou l'attestation de droits."))
            elif not mandates.consenters(space):
                form.nir.errors.append(_(
                    "L'espace santé de cette personne n'est pas encore activé : aidez-la d'abord "
                    "à l'activer avec le code reçu par courrier (voir le mode guidé)."))
            else:
                session[KEY] = {"space": space.id}
                return redirect(url_for("mandates.scopes"), 303)
    return _page("citizen", form, title=_("Trouver l'espace de la personne"))


@bp.route("/mandats/nouveau/rubriques", methods=["GET", "POST"])
@roles("mediator")
def scopes():
    """Step 2: which parts of the space the mandate covers."""
    if (early := _guard("scopes")) is not None:
        return early
    form = ScopesForm(choices=mandates.MEDIATOR_CHOICES)
    if request.method == "GET":
        form.scopes.data = _wizard().get("scopes") or []
    if form.validate_on_submit():
        _save(scopes=form.scopes.data)
        return redirect(url_for("mandates.duration"), 303)
    return _page("scopes", form, title=_("Choisir les rubriques"))


@bp.route("/mandats/nouveau/duree", methods=["GET", "POST"])
@roles("mediator")
def duration():
    """Step 3: how long the mandate lasts."""
    if (early := _guard("duration")) is not None:
        return early
    form = DurationForm()
    if request.method == "GET":
        form.duration.data = _wizard().get("duration")
    if form.validate_on_submit():
        _save(duration=form.duration.data)
        return redirect(url_for("mandates.terms"), 303)
    return _page("duration", form, title=_("Choisir la durée"))


@bp.route("/mandats/nouveau/conditions", methods=["GET", "POST"])
@roles("mediator")
def terms():
    """Step 4: the terms, in plain language, read aloud to the citizen."""
    if (early := _guard("terms")) is not None:
        return early
    form = TermsForm()
    if form.validate_on_submit():
        _save(terms=True)
        return redirect(url_for("mandates.consent"), 303)
    return _page("terms", form, title=_("Lire les conditions à la personne"),
                 duration_text=mandates.DURATION_LABELS[_wizard()["duration"]])


def _masked(people):
    """The consenters' e-mail addresses, each shown as a•••@domain."""
    return ", ".join(f"{p.email[:1]}•••@{p.email.partition('@')[2]}" for p in people)


def _consent_page(code_form=None, login_form=None, status=200):
    pending = ConsentCode.get_or_none(ConsentCode.id == (_wizard().get("pending") or 0))
    code_form = code_form or CodeForm(prefix="c")
    login_form = login_form or LoginConsentForm(prefix="l")
    return _page("consent", login_form if login_form.errors else code_form, code_form=code_form,
                 login_form=login_form, pending=pending,
                 masked=_masked(mandates.consenters(_space())),
                 for_minor=_space().owner_id is None or _space().is_minor(),
                 title=_("Recueillir l'accord de la personne"))


@bp.route("/mandats/nouveau/accord", methods=["GET", "POST"])
@roles("mediator")
@limiter.limit("30 per minute", methods=["POST"])
def consent():
    """Step 5: the citizen consents with a code sent to them, or by signing in."""
    if (early := _guard("consent")) is not None:
        return early
    user, space = current_user._get_current_object(), _space()
    if request.method == "POST" and request.form.get("action") == "send":
        form = Form()
        if form.validate_on_submit():
            sent = mandates.send_consent_code(user, space)
            if sent is None:
                flash(_("Trois codes ont déjà été envoyés. Attendez 10 minutes ou demandez à la "
                        "personne de se connecter sur cet écran."), "error")
            else:
                _save(pending=sent.id, consent=None)
                flash(_("Un code à 6 chiffres a été envoyé à %(email)s. Il est valable 10 "
                        "minutes.", email=_masked(mandates.consenters(space))), "success")
            return redirect(url_for("mandates.consent"), 303)
    code_form = CodeForm(prefix="c")
    if request.method == "POST" and request.form.get("action") == "code" \
            and code_form.validate_on_submit():
        pending = ConsentCode.get_or_none(ConsentCode.id == (_wizard().get("pending") or 0))
        result = "expired" if pending is None or pending.space_id != space.id \
            or pending.requested_by_id != user.id else mandates.check_consent_code(
                pending, code_form.code.data)
        if result == "ok":
            _save(consent=pending.id)
            return redirect(url_for("mandates.confirm"), 303)
        code_form.code.errors.append({
            "wrong": _("Ce code est incorrect. Vérifiez le code reçu par la personne."),
            "locked": _("Trop de codes incorrects. Envoyez un nouveau code."),
        }.get(result, _("Ce code n'est plus valable. Envoyez un nouveau code.")))
    return _consent_page(code_form=code_form)


@bp.route("/mandats/nouveau/accord/connexion", methods=["POST"])
@roles("mediator")
@limiter.limit("20 per minute")
def consent_login():
    """Step 5, other way: the citizen types their own e-mail and password."""
    if (early := _guard("consent")) is not None:
        return early
    user, space = current_user._get_current_object(), _space()
    form = LoginConsentForm(prefix="l")
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if LOGIN_PER_ACCOUNT.blocked(email):
            form.password.errors.append(_("Trop de tentatives. Réessayez dans %(minutes)s "
                                          "minutes.",
                                          minutes=LOGIN_PER_ACCOUNT.retry_minutes(email)))
        else:
            given = mandates.consent_by_login(user, space, email, form.password.data)
            if given is not None:
                LOGIN_PER_ACCOUNT.clear(email)
                _save(consent=given.id)
                return redirect(url_for("mandates.confirm"), 303)
            LOGIN_PER_ACCOUNT.fail(email)
            form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect, ou ce "
                                          "compte n'est pas celui de la personne."))
    return _consent_page(login_form=form)


@bp.route("/mandats/nouveau/confirmation", methods=["GET", "POST"])
@roles("mediator")
def confirm():
    """Step 6: the mediator checks the summary and confirms with a TOTP code."""
    if (early := _guard("confirm")) is not None:
        return early
    user, space, data = current_user._get_current_object(), _space(), _wizard()
    form = TotpForm()
    if form.validate_on_submit():
        given = mandates.usable_consent(data.get("consent"), user, space)
        if given is None:
            _save(consent=None, pending=None)
            flash(_("L'accord de la personne a expiré. Recueillez-le à nouveau."), "error")
            return redirect(url_for("mandates.consent"), 303)
        if TOTP_PER_ACCOUNT.blocked(str(user.id)):
            form.code.errors.append(_("Trop de codes incorrects. Réessayez dans %(minutes)s "
                                      "minutes.",
                                      minutes=TOTP_PER_ACCOUNT.retry_minutes(str(user.id))))
        elif verify_totp(user, form.code.data):
            mandate = actions.create_mediator_mandate(user, space, data["scopes"],
                                                      data["duration"], given)
            session.pop(KEY, None)
            flash(_("Le mandat a commencé. %(name)s a été prévenu par notification.",
                    name=space.display_name), "success")
            return redirect(url_for("attestations.attestation", reference=mandate.reference),
                            303)
        else:
            TOTP_PER_ACCOUNT.fail(str(user.id))
            form.code.errors.append(_("Ce code est incorrect ou a expiré. Saisissez le code "
                                      "affiché maintenant par votre application."))
    return _page("confirm", form, title=_("Confirmer le mandat"),
                 duration_text=mandates.DURATION_LABELS[data["duration"]])


@bp.route("/mandats/nouveau/annuler", methods=["POST"])
@roles("mediator")
def cancel():
    """Abandon the mandate being created."""
    session.pop(KEY, None)
    flash(_("La création du mandat a été abandonnée. Rien n'a été enregistré."), "info")
    return redirect(url_for("home.index"), 303)
