"""Creating a mandate with the citizen present, one question per page. Step 1 starts a
draft (webapp.assist.drafts); every later step's address names it, so that two tabs
helping two people never mix, and nothing of the wizard is kept in the session."""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp import policy
from webapp.assist import actions, drafts, forms, mandates
from webapp.assist.drafts import STEPS
from webapp.forms import Form
from webapp.guards import roles, signed_in_user
from webapp.ratelimit import LOGIN_PER_ACCOUNT, TOTP_PER_ACCOUNT, Attempts, limiter
from webapp.rendering import render
from webapp.security import verify_totp

bp = Blueprint("mandates", __name__)
LOOKUP_FAILURES = Attempts("mandate-lookup", "10 per 15 minutes")


def _url(step, draft=None):
    """The address of a step of this draft (step 1 without a draft starts a new one)."""
    if draft is None:
        return url_for("mandates.citizen")
    endpoint = "change_citizen" if step == "citizen" else step
    return url_for(f"mandates.{endpoint}", draft=draft.reference)


def on_draft(step):
    """The signed-in mediator's own draft named in the address (else 404), at a step it
    has reached (else back to the first step not done); an expired draft starts again."""

    def decorator(view):
        @wraps(view)
        def wrapper(draft):
            found = drafts.find(draft, signed_in_user())
            if found is None:
                abort(404)
            if found.expired():
                drafts.discard(found)
                flash(_("Plus d'une heure s'est écoulée depuis le début de la création du "
                        "mandat. Recommencez depuis la première étape."), "error")
                return redirect(_url("citizen"))
            missing = drafts.reached(found, step)
            if missing is not None:
                return redirect(_url(missing, found))
            return view(found)

        return wrapper

    return decorator


def _page(step, form, draft=None, **context):
    number = STEPS.index(step) + 1
    back = _url(STEPS[number - 2], draft) if number > 1 else url_for("home.index")
    current = policy.office_mandates_on(draft.mediator, draft.space) if draft else []
    return render(f"mandates/{step}.html", form=form, step=number, steps=len(STEPS), back=back,
                  draft=draft, space=draft.space if draft else None, current=current,
                  action=_url(step, draft), **context)


@bp.route("/mandats/nouveau")
@roles("mediator")
def new():
    """Start again from the first step."""
    return redirect(_url("citizen"))


def _lookup(form, user):
    """The space matching the NIR and birth date typed, or None with an error on the field."""
    nir = "".join(ch for ch in form.nir.data.upper() if ch.isalnum())
    if LOOKUP_FAILURES.blocked(str(user.id)):
        form.nir.errors.append(_("Trop de recherches sans résultat. Réessayez dans "
                                 "%(minutes)s minutes.",
                                 minutes=LOOKUP_FAILURES.retry_minutes(str(user.id))))
        return None
    space = policy.space_for_mandate(nir, form.birth_date.data)
    if space is None:
        LOOKUP_FAILURES.fail(str(user.id))
        form.nir.errors.append(_(
            "Aucun espace santé ne correspond à ce numéro et à cette date de naissance. "
            "Vérifiez-les sur la carte Vitale ou l'attestation de droits."))
        return None
    if not mandates.consenters(space):
        form.nir.errors.append(_(
            "L'espace santé de cette personne n'est pas encore activé : aidez-la d'abord "
            "à l'activer avec le code reçu par courrier (voir le mode guidé)."))
        return None
    return space


@bp.route("/mandats/nouveau/personne", methods=["GET", "POST"])
@roles("mediator")
def citizen():
    """Step 1: find the citizen's space by NIR and birth date; a draft starts."""
    form = forms.CitizenForm()
    user = signed_in_user()
    if form.validate_on_submit() and (space := _lookup(form, user)) is not None:
        draft = drafts.start(user, space)
        return redirect(_url("scopes", draft), 303)
    return _page("citizen", form, title=_("Trouver l'espace de la personne"))


@bp.route("/mandats/nouveau/<draft>/personne", methods=["GET", "POST"])
@roles("mediator")
@on_draft("citizen")
def change_citizen(draft):
    """Step 1 again, from a draft: another person means starting the later steps again."""
    form = forms.CitizenForm()
    if request.method == "GET":
        form.nir.data, form.birth_date.data = draft.space.nir, draft.space.birth_date
    if form.validate_on_submit() and (space := _lookup(form, signed_in_user())) is not None:
        if space.id != draft.space_id:
            drafts.save(draft, space=space, scopes=(), duration="", terms_read=False,
                        pending=None, consent=None)
        return redirect(_url("scopes", draft), 303)
    return _page("citizen", form, draft, title=_("Trouver l'espace de la personne"))


@bp.route("/mandats/nouveau/<draft>/rubriques", methods=["GET", "POST"])
@roles("mediator")
@on_draft("scopes")
def scopes(draft):
    """Step 2: which parts of the space the mandate covers."""
    form = forms.ScopesForm(choices=mandates.MEDIATOR_CHOICES)
    current = policy.office_mandates_on(draft.mediator, draft.space)
    if request.method == "GET":  # an extension or a change starts from what runs now
        form.scopes.data = draft.scope_list or mandates.scopes_of(current)
    if request.form.get("action") == "extend" and current and Form().validate_on_submit():
        drafts.save(draft, scopes=mandates.scopes_of(current))  # the same rubriques
        return redirect(_url("duration", draft), 303)
    if form.validate_on_submit():
        drafts.save(draft, scopes=form.scopes.data)
        return redirect(_url("duration", draft), 303)
    return _page("scopes", form, draft, title=_("Choisir les rubriques"))


@bp.route("/mandats/nouveau/<draft>/duree", methods=["GET", "POST"])
@roles("mediator")
@on_draft("duration")
def duration(draft):
    """Step 3: how long the mandate lasts."""
    form = forms.DurationForm()
    if request.method == "GET":
        form.duration.data = draft.duration or None
    if form.validate_on_submit():
        drafts.save(draft, duration=form.duration.data)
        return redirect(_url("terms", draft), 303)
    return _page("duration", form, draft, title=_("Choisir la durée"))


@bp.route("/mandats/nouveau/<draft>/conditions", methods=["GET", "POST"])
@roles("mediator")
@on_draft("terms")
def terms(draft):
    """Step 4: the terms, in plain language, read aloud to the citizen."""
    form = forms.TermsForm()
    if form.validate_on_submit():
        drafts.save(draft, terms_read=True)
        return redirect(_url("consent", draft), 303)
    return _page("terms", form, draft, title=_("Lire les conditions à la personne"),
                 duration_text=mandates.DURATION_LABELS[draft.duration])


def _consent_page(draft, code_form=None, login_form=None):
    code_form = code_form or forms.CodeForm(prefix="c")
    login_form = login_form or forms.LoginConsentForm(prefix="l")
    space = draft.space
    return _page("consent", login_form if login_form.errors else code_form, draft,
                 code_form=code_form, login_form=login_form, pending=draft.pending,
                 masked=mandates.masked(mandates.consenters(space)),
                 for_minor=space.owner_id is None or space.is_minor(),
                 title=_("Recueillir l'accord de la personne"))


def _send_code(draft):
    """Send a new consent code to the person (or their representatives)."""
    sent = mandates.send_consent_code(draft.mediator, draft.space, draft.scope_list,
                                      draft.duration)
    if sent is None:
        flash(_("Trois codes ont déjà été envoyés. Attendez 10 minutes ou demandez à la "
                "personne de se connecter sur cet écran."), "error")
    else:
        drafts.save(draft, pending=sent, consent=None)
        flash(_("Un code à 6 chiffres a été envoyé à %(email)s. Il est valable 10 "
                "minutes.", email=mandates.masked(mandates.consenters(draft.space))), "success")
    return redirect(_url("consent", draft), 303)


CODE_ERRORS = {
    "wrong": _l("Ce code est incorrect. Vérifiez le code reçu par la personne."),
    "locked": _l("Trop de codes incorrects. Envoyez un nouveau code."),
}


@bp.route("/mandats/nouveau/<draft>/accord", methods=["GET", "POST"])
@roles("mediator")
@limiter.limit("30 per minute", methods=["POST"])
@on_draft("consent")
def consent(draft):
    """Step 5: the citizen consents with a code sent to them, or by signing in."""
    if request.method == "POST" and request.form.get("action") == "send" \
            and Form().validate_on_submit():
        return _send_code(draft)
    code_form = forms.CodeForm(prefix="c")
    if request.method == "POST" and request.form.get("action") == "code" \
            and code_form.validate_on_submit():
        pending = draft.pending
        result = "expired" if pending is None else mandates.check_consent_code(
            pending, code_form.code.data)
        if result == "ok":
            drafts.save(draft, consent=pending)
            return redirect(_url("confirm", draft), 303)
        code_form.code.errors.append(str(CODE_ERRORS.get(result, _(
            "Ce code n'est plus valable. Envoyez un nouveau code."))))
    return _consent_page(draft, code_form=code_form)


@bp.route("/mandats/nouveau/<draft>/accord/connexion", methods=["POST"])
@roles("mediator")
@limiter.limit("20 per minute")
@on_draft("consent")
def consent_login(draft):
    """Step 5, other way: the citizen types their own e-mail and password."""
    form = forms.LoginConsentForm(prefix="l")
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if LOGIN_PER_ACCOUNT.blocked(email):
            form.password.errors.append(_("Trop de tentatives. Réessayez dans %(minutes)s "
                                          "minutes.",
                                          minutes=LOGIN_PER_ACCOUNT.retry_minutes(email)))
        else:
            given = mandates.consent_by_login(draft.mediator, draft.space, email,
                                              form.password.data, draft.scope_list,
                                              draft.duration)
            if given is not None:
                LOGIN_PER_ACCOUNT.clear(email)
                drafts.save(draft, consent=given)
                return redirect(_url("confirm", draft), 303)
            LOGIN_PER_ACCOUNT.fail(email)
            form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect, ou ce "
                                          "compte n'est pas celui de la personne."))
    return _consent_page(draft, login_form=form)


@bp.route("/mandats/nouveau/<draft>/confirmation", methods=["GET", "POST"])
@roles("mediator")
@on_draft("confirm")
def confirm(draft):
    """Step 6: the mediator checks the summary and confirms with a TOTP code."""
    user, space = draft.mediator, draft.space
    form = forms.TotpForm()
    if form.validate_on_submit():
        given = mandates.usable_consent(draft.consent_id, user, space, draft.scope_list,
                                        draft.duration)
        if given is None:  # expired, or given for other rubrics or another duration
            drafts.save(draft, consent=None, pending=None)
            flash(_("L'accord de la personne a expiré ou portait sur d'autres rubriques ou "
                    "une autre durée. Recueillez-le à nouveau."), "error")
            return redirect(_url("consent", draft), 303)
        if TOTP_PER_ACCOUNT.blocked(str(user.id)):
            form.code.errors.append(_("Trop de codes incorrects. Réessayez dans %(minutes)s "
                                      "minutes.",
                                      minutes=TOTP_PER_ACCOUNT.retry_minutes(str(user.id))))
        elif verify_totp(user, form.code.data):
            try:
                mandate = drafts.finish(draft, given)
            except actions.ConsentUsed:
                flash(_("Ce mandat est déjà créé."), "info")
                return redirect(url_for("home.index"), 303)
            flash(_("Le mandat a commencé. Une notification a été envoyée à %(name)s.",
                    name=space.display_name), "success")
            return redirect(url_for("attestations.attestation", reference=mandate.reference),
                            303)
        else:
            TOTP_PER_ACCOUNT.fail(str(user.id))
            form.code.errors.append(_("Ce code est incorrect ou a expiré. Saisissez le code "
                                      "affiché maintenant par votre application."))
    return _page("confirm", form, draft, title=_("Confirmer le mandat"),
                 duration_text=mandates.DURATION_LABELS[draft.duration])


@bp.route("/mandats/nouveau/<draft>/annuler", methods=["POST"])
@roles("mediator")
@on_draft("citizen")
def cancel(draft):
    """Abandon the mandate being created: the draft goes."""
    drafts.discard(draft)
    flash(_("La création du mandat a été abandonnée. Rien n'a été enregistré."), "info")
    return redirect(url_for("home.index"), 303)
