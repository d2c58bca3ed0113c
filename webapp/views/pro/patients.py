"""A professional's own pages outside any patient's space: find a patient by their health
identity, declare the care relation with the patient present, and what they did."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp import policy
from webapp.guards import roles, signed_in_user
from webapp.privacy.history import describe
from webapp.pro import ins, patients
from webapp.pro.forms import DeclareForm, InsLookupForm, TraitsLookupForm
from webapp.rendering import render

bp = Blueprint("pro_patients", __name__)
ACTIVITY_LIMIT = 200
NOBODY = {
    "not_found": _l("Aucun patient ne correspond à cette identité dans les espaces santé qui "
                   "vous sont ouverts. Vérifiez ce que vous avez saisi."),
    "ambiguous": _l("Plusieurs patients ont ces traits d'identité : recherchez avec le numéro "
                   "de sécurité sociale."),
}


def _find_page(ins_form=None, traits_form=None, result=None, declare_form=None, status=200):
    if result is not None and result.outcome == "found" and declare_form is None:
        declare_form = DeclareForm(formdata=None, token=patients.presence_token(
            signed_in_user(), result.space))
    form = declare_form if declare_form is not None and declare_form.errors else (
        ins_form if ins_form is not None and ins_form.errors else traits_form)
    return render("pro/find.html", title=_("Rechercher un patient"), status=status,
                  ins_form=ins_form or InsLookupForm(formdata=None, prefix="ins"),
                  traits_form=traits_form or TraitsLookupForm(formdata=None, prefix="traits"),
                  result=result, declare_form=declare_form, form=form, nobody=_nobody(result),
                  ins=ins)


def _nobody(result):
    if result is None or result.outcome == "found":
        return ""
    if result.outcome == "limited":
        return _("Trop de recherches sans résultat : réessayez dans %(n)s minutes.",
                 n=patients.retry_minutes(signed_in_user()))
    return NOBODY[result.outcome]


@bp.route("/pro/patients/rechercher", methods=["GET", "POST"])
@roles("professional")
def find():
    """Find a patient by matricule and birth date, or by the reference traits."""
    user = signed_in_user()
    if request.method == "GET":
        return _find_page()
    if request.form.get("by") == "traits":
        traits_form = TraitsLookupForm(prefix="traits")
        if not traits_form.validate_on_submit():
            return _find_page(traits_form=traits_form)
        result = patients.by_traits(user, traits_form.birth_name.data,
                                    traits_form.first_name.data, traits_form.birth_date.data,
                                    traits_form.sex.data)
        return _find_page(traits_form=traits_form, result=result)
    ins_form = InsLookupForm(prefix="ins")
    if not ins_form.validate_on_submit():
        return _find_page(ins_form=ins_form)
    result = patients.by_ins(user, ins_form.matricule.data, ins_form.birth_date.data)
    return _find_page(ins_form=ins_form, result=result)


@bp.route("/pro/patients/declarer", methods=["POST"])
@roles("professional")
def declare():
    """Declare the care relation: the patient was told and does not object."""
    user = signed_in_user()
    form = DeclareForm()
    space = patients.space_of_token(user, form.token.data)
    if space is None:
        flash(_("La recherche a expiré ou ce patient ne vous est plus accessible : "
                "recherchez-le à nouveau."), "error")
        return redirect(url_for("pro_patients.find"), 303)
    if not form.validate_on_submit():
        result = patients.Result("found", space, policy.follows(user, space))
        return _find_page(result=result, declare_form=form)
    patients.declare(user, space)
    flash(_("Vous suivez maintenant %(name)s. Le patient en est informé.",
            name=space.display_name), "success")
    return redirect(url_for("pro_record.patient", ref=space.ref), 303)


@bp.route("/pro/activite")
@roles("professional")
def activity():
    """What I did: my accesses, deposits, proposals and messages, newest first."""
    entries = list(policy.done_by(signed_in_user()).limit(ACTIVITY_LIMIT))
    return render("pro/activity.html", title=_("Mon activité"), entries=entries,
                  describe=describe, limit=ACTIVITY_LIMIT)
