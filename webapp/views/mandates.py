"""Creating a mandate with the citizen present, one question per page; the attestation
(page and PDF), its public verification, and ending a mandate from the mediator's side."""

import datetime as dt
import os

from flask import Blueprint, abort, flash, make_response, redirect, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from fpdf import FPDF
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from webapp import mandates, policy
from webapp.forms import Form, required
from webapp.guards import public, roles
from webapp.models.mandates import Attestation, ConsentCode, Mandate
from webapp.models.spaces import Space
from webapp.notify import notify
from webapp.policy import space_is_open
from webapp.ratelimit import LOGIN_PER_ACCOUNT, TOTP_PER_ACCOUNT, Attempts, limiter
from webapp.rendering import render, safe_next
from webapp.security import verify_totp

bp = Blueprint("mandates", __name__)
LOOKUP_FAILURES = Attempts("mandate-lookup", "10 per 15 minutes")
STEPS = ("citizen", "scopes", "duration", "terms", "consent", "confirm")
KEY = "mandate_wizard"
PDF_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PDF_FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


class BirthDateField(DateField):
    """A date typed as DD/MM/YYYY in a text box (easier than a date picker, any locale)."""

    widget = TextInput()

    def __init__(self, label, **kwargs):
        super().__init__(label, format=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"], **kwargs)

    def _value(self):
        return self.data.strftime("%d/%m/%Y") if self.data else " ".join(self.raw_data or [])

    def process_formdata(self, valuelist):
        text = " ".join(valuelist or []).strip().replace(" ", "/").replace(".", "/")
        self.data = None
        for fmt in self.strptime_format:
            try:
                self.data = dt.datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        if text:
            raise ValueError(_l("Saisissez une date réelle au format JJ/MM/AAAA, par exemple "
                                "14/05/1984."))


class CitizenForm(Form):
    nir = StringField(_l("Numéro de sécurité sociale"), validators=[
        required(_l("Saisissez le numéro de sécurité sociale de la personne."))])
    birth_date = BirthDateField(_l("Date de naissance"), validators=[
        required(_l("Saisissez la date de naissance de la personne."))])


class ScopesForm(Form):
    scopes = SelectMultipleField(_l("Rubriques"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(), validators=[DataRequired(
                                     _l("Cochez au moins une rubrique."))])

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = [SelectChoice(str(s), mandates.SCOPE_LABELS[s]) for s in choices]


class DurationForm(Form):
    duration = RadioField(_l("Durée du mandat"), choices=[SelectChoice(k, v) for k, v in
                                                   mandates.DURATION_LABELS.items()],
                          validators=[required(_l("Choisissez la durée du mandat."))])


class TermsForm(Form):
    read = BooleanField(_l("J'ai lu ces conditions à la personne et elle les a comprises."),
                        validators=[DataRequired(_l("Lisez les conditions à la personne, puis "
                                                    "cochez la case pour continuer."))])


class CodeForm(Form):
    code = StringField(_l("Code reçu par la personne"), validators=[
        required(_l("Saisissez le code à 6 chiffres reçu par la personne."))])


class LoginConsentForm(Form):
    email = EmailField(_l("Adresse e-mail de la personne"), validators=[
        required(_l("Saisissez l'adresse e-mail du compte de la personne."))])
    password = PasswordField(_l("Mot de passe de la personne"), validators=[
        required(_l("Saisissez le mot de passe du compte de la personne."))])


class TotpForm(Form):
    code = StringField(_l("Votre code de sécurité"), validators=[
        required(_l("Saisissez le code à 6 chiffres affiché par votre application."))])


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
            mandate = mandates.create_mediator_mandate(user, space, data["scopes"],
                                                       data["duration"], given)
            mandates.log(space, user, "mandate.create", mandate, target=mandate.reference)
            session.pop(KEY, None)
            flash(_("Le mandat a commencé. %(name)s a été prévenu par notification.",
                    name=space.display_name), "success")
            return redirect(url_for("mandates.attestation", reference=mandate.reference), 303)
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


# ---- Attestation, verification, ending ---------------------------------------------------

class VerifyForm(Form):
    class Meta:
        csrf = False  # a GET search form

    code = StringField(_l("Code de vérification"), validators=[
        required(_l("Saisissez le code de vérification imprimé sur l'attestation."))])


def _viewable(reference):
    """A mediator mandate the current user may see the attestation of (holder, office
    manager, or the citizen through the policy), else 404."""
    user = current_user._get_current_object()
    mandate = Mandate.get_or_none((Mandate.reference == reference) & (Mandate.kind == "mediator"))
    attestation = mandate and Attestation.get_or_none(Attestation.mandate == mandate)
    if attestation is None:
        abort(404)
    if user.role == "mediator":
        if mandate.holder_id != user.id and not (
                user.is_office_manager and user.office_id == mandate.office_id):
            abort(404)
    else:
        policy.authorize(user, mandate.space, policy.Scope.PRIVACY,
                         target=f"mandate.attestation:{reference}")
    return mandate, attestation


def _consent_row(mandate, attestation):
    """How consent was given: by the person, or for a minor by a legal representative."""
    if mandate.space.is_minor(attestation.created_at.date()):
        return (_("Accord d'un représentant légal"),
                _("code à usage unique reçu par les représentants légaux")
                if attestation.consent_method == "code"
                else _("connexion d'un représentant légal à son compte"))
    return (_("Accord de la personne"), _("code à usage unique reçu par la personne")
            if attestation.consent_method == "code" else _("connexion de la personne à son compte"))


def _attestation_rows(mandate, attestation):
    return [
        (_("Personne aidée"), attestation.citizen_name),
        (_("Médiateur ou médiatrice"), attestation.holder_name),
        (_("Structure"), ", ".join(p for p in (attestation.office_name,
                                               attestation.office_address) if p)),
        (_("SIRET et label France Services"), " – ".join(
            p for p in (attestation.office_siret, attestation.office_label) if p) or "—"),
        (_("Rubriques autorisées"), ", ".join(mandates.scope_labels(mandate.scope_set))),
        (_("Durée"), str(mandates.SHORT_DURATION_LABELS.get(mandate.duration, ""))),
        (_("Début"), format_datetime(mandate.starts_at, "short")),
        (_("Fin"), format_datetime(mandate.ends_at, "short")),
        _consent_row(mandate, attestation),
        (_("Référence du mandat"), mandate.reference),
        (_("Code de vérification"), attestation.code),
    ]


@bp.route("/mandats/<reference>/attestation")
@roles("mediator", "citizen")
def attestation(reference):
    """The printable attestation of a mandate."""
    mandate, att = _viewable(reference)
    return render("mandates/attestation.html", title=_("Attestation de mandat"),
                  mandate=mandate, attestation=att, rows=_attestation_rows(mandate, att),
                  state=mandate.state(), verify_url=url_for("mandates.verify", _external=True))


@bp.route("/mandats/<reference>/attestation.pdf")
@roles("mediator", "citizen")
def attestation_pdf(reference):
    """The attestation as a PDF file."""
    mandate, att = _viewable(reference)
    pdf = attestation_document(_("Attestation de mandat"), _attestation_rows(mandate, att), _(
        "Vérifiez la validité de ce mandat sur %(url)s avec le code de vérification.",
        url=url_for("mandates.verify", _external=True)))
    response = make_response(bytes(pdf.output()))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="attestation-mandat-{mandate.reference}.pdf"')
    return response


def attestation_document(title, rows, footer):
    """An A4 PDF with a title, label/value rows and a footer line."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    family = "helvetica"
    if os.path.exists(PDF_FONT):
        pdf.add_font("dejavu", "", PDF_FONT)
        pdf.add_font("dejavu", "B", PDF_FONT_BOLD if os.path.exists(PDF_FONT_BOLD) else PDF_FONT)
        family = "dejavu"

    def text(value):
        return value if family == "dejavu" else value.encode("latin-1", "replace").decode(
            "latin-1")

    pdf.set_title(text(title))
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 10, text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in rows:
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(0, 6, text(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 11)
        pdf.multi_cell(0, 6, text(str(value)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, text(footer), new_x="LMARGIN", new_y="NEXT")
    return pdf


@bp.route("/attestation/verifier")
@limiter.limit("30 per minute")
@public
def verify():
    """Anyone holding a printed attestation checks that it is genuine and still valid."""
    form = VerifyForm(request.args)
    found, searched = None, bool(request.args.get("code"))
    if searched and form.validate():
        found = Attestation.by_code(form.code.data)
        if found is None:
            form.code.errors.append(_("Aucune attestation ne correspond à ce code. Vérifiez "
                                      "le code imprimé en bas de l'attestation."))
    return render("mandates/verify.html", title=_("Vérifier une attestation de mandat"),
                  form=form, found=found, mandate=found.mandate if found else None)


@bp.route("/mandats/<reference>/terminer", methods=["GET", "POST"])
@roles("mediator")
def end(reference):
    """The mediator holding the mandate, or their office manager, confirms, then ends it."""
    user = current_user._get_current_object()
    mandate = Mandate.get_or_none((Mandate.reference == reference) & (Mandate.kind == "mediator"))
    if mandate is None or (mandate.holder_id != user.id and not (
            user.is_office_manager and user.office_id == mandate.office_id)):
        abort(404)
    back = safe_next(request.values.get("next"))
    form = Form()
    if mandate.state() not in ("active", "pending"):
        flash(_("Ce mandat est déjà terminé."), "info")
        return redirect(back, 303)
    if not form.validate_on_submit():
        return render("mandates/end.html", title=_("Mettre fin au mandat de %(name)s",
                                                    name=mandate.space.display_name),
                      form=form, mandate=mandate, back=back)
    if mandates.end_mandate(mandate):
        mandates.log(mandate.space, user, "mandate.end", mandate, target=mandate.reference)
        for person in policy.holders_of(mandate.space):
            notify(person, "mandate_ended", office=mandate.office.name if mandate.office_id
                   else "")
        if session.get("space_id") == mandate.space_id:
            session.pop("space_id", None)
        flash(_("Le mandat de %(name)s est terminé.", name=mandate.space.display_name),
              "success")
    return redirect(back, 303)
