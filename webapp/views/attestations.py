"""A mandate's attestation (page and PDF), its public verification, and ending a mandate
from the mediator's side."""

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _

from webapp import policy
from webapp.assist import actions, mandates
from webapp.assist.forms import VerifyForm
from webapp.assist.pdf import attestation_document
from webapp.audit import Action
from webapp.forms import Form
from webapp.guards import SPACE, on_space, public, roles, signed_in_user
from webapp.i18n import show_datetime
from webapp.models.mandates import Mandate
from webapp.ratelimit import limiter
from webapp.rendering import render, safe_next
from webapp.scopes import Capacity, Scope

bp = Blueprint("attestations", __name__)


def _mediator_mandate(reference):
    """A mediator's mandate the signed-in mediator holds or manages (policy), else 404."""
    mandate = policy.handled_mandate(signed_in_user(), reference)
    if mandate is None:
        abort(404)
    return mandate


def _viewable(reference):
    """The mandate and its attestation: for a mediator who holds or manages it, or in the
    citizen's space (g.access) for its holders; else 404."""
    access = g.get("access")
    if access is not None:
        mandate = access.query(Mandate).where((Mandate.reference == reference)
                                              & (Mandate.kind == Capacity.MEDIATOR)).first()
        if mandate is None:
            abort(404)
        access.note(target=mandate, detail="attestation")
    else:
        mandate = _mediator_mandate(reference)
    attestation = policy.attestation_of(mandate)
    if attestation is None:
        abort(404)
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
        (_("Début"), show_datetime(mandate.starts_at)),
        (_("Fin"), show_datetime(mandate.ends_at)),
        _consent_row(mandate, attestation),
        (_("Référence du mandat"), mandate.reference),
        (_("Code de vérification"), attestation.code),
    ]


@bp.route("/mandats/<reference>/attestation")
@roles("mediator")
def attestation(reference):
    """The printable attestation of a mandate, for its mediator."""
    return _attestation_page(reference)


@bp.route(SPACE + "/parametres/mandats/<reference>/attestation")
@on_space(Scope.PRIVACY)
def space_attestation(reference):
    """The printable attestation of a mandate, in the citizen's space."""
    return _attestation_page(reference)


def _attestation_page(reference):
    mandate, att = _viewable(reference)
    return render("mandates/attestation.html", title=_("Attestation de mandat"),
                  mandate=mandate, attestation=att, rows=_attestation_rows(mandate, att),
                  state=mandate.state(), verify_url=url_for("attestations.verify", _external=True))


@bp.route("/mandats/<reference>/attestation.pdf")
@roles("mediator")
def attestation_pdf(reference):
    """The attestation as a PDF file, for its mediator."""
    return _attestation_pdf(reference)


@bp.route(SPACE + "/parametres/mandats/<reference>/attestation.pdf")
@on_space(Scope.PRIVACY)
def space_attestation_pdf(reference):
    """The attestation as a PDF file, in the citizen's space."""
    return _attestation_pdf(reference)


def _attestation_pdf(reference):
    mandate, att = _viewable(reference)
    pdf = attestation_document(_("Attestation de mandat"), _attestation_rows(mandate, att), _(
        "Vérifiez la validité de ce mandat sur %(url)s avec le code de vérification.",
        url=url_for("attestations.verify", _external=True)))
    response = make_response(bytes(pdf.output()))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="attestation-mandat-{mandate.reference}.pdf"')
    return response


@bp.route("/attestation/verifier")
@limiter.limit("30 per minute")
@public
def verify():
    """Anyone holding a printed attestation checks that it is genuine and still valid."""
    form = VerifyForm(request.args)
    found, searched = None, bool(request.args.get("code"))
    if searched and form.validate():
        found = policy.attestation_by_code(form.code.data)
        if found is None:
            form.code.errors.append(_("Aucune attestation ne correspond à ce code. Vérifiez "
                                      "le code imprimé en bas de l'attestation."))
    return render("mandates/verify.html", title=_("Vérifier une attestation de mandat"),
                  form=form, found=found, mandate=found.mandate if found else None)


@bp.route("/mandats/<reference>/terminer", methods=["GET", "POST"])
@roles("mediator")
def end(reference):
    """The mediator holding the mandate, or their office manager, confirms, then ends it."""
    mandate = _mediator_mandate(reference)
    back = safe_next(request.values.get("next"))
    form = Form()
    if mandate.state() not in ("active", "pending"):
        flash(_("Ce mandat est déjà terminé."), "info")
        return redirect(back, 303)
    if not form.validate_on_submit():
        return render("mandates/end.html", title=_("Mettre fin au mandat de %(name)s",
                                                    name=mandate.space.display_name),
                      form=form, mandate=mandate, back=back)
    if actions.end_mandate(mandate, signed_in_user(), Action.MANDATE_END):
        flash(_("Le mandat de %(name)s est terminé.", name=mandate.space.display_name),
              "success")
    return redirect(back, 303)
