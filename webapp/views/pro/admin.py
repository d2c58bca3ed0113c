"""Professionals' accounts for the admins: the list, create one (RPPS, profession, place),
deactivate or reactivate it; and the new professional's page to choose a password."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _

from webapp.forms import Form
from webapp.guards import public, roles, signed_in_user
from webapp.models.accounts import User
from webapp.pro import accounts
from webapp.pro.admin_forms import ProfessionalForm, SetupForm
from webapp.rendering import render

bp = Blueprint("pro_admin", __name__)


@bp.route("/admin/professionnels")
@roles("admin")
def index():
    """Every professional, with their RPPS, profession, place and state."""
    return render("pro/admin_list.html", title=_("Professionnels de santé"),
                  people=list(accounts.professionals()), form=Form())


@bp.route("/admin/professionnels/nouveau", methods=["GET", "POST"])
@roles("admin")
def new():
    """Create a professional's account; they receive a link to choose a password."""
    form = ProfessionalForm()
    if form.validate_on_submit():
        user = accounts.create_professional(
            signed_in_user(), email=form.email.data, first_name=form.first_name.data,
            last_name=form.last_name.data, rpps=form.rpps.data, profession=form.profession.data,
            specialty=form.specialty.data,
            place=(form.structure.data, form.address.data or "", form.finess.data,
                   form.siret.data))
        flash(_("Le compte de %(name)s est créé. Un lien pour choisir son mot de passe lui est "
                "envoyé par e-mail.", name=user.display_name), "success")
        return redirect(url_for("pro_admin.index"), 303)
    return render("pro/admin_new.html", title=_("Créer un compte professionnel"), form=form)


@bp.route("/admin/professionnels/<int:user_id>/statut", methods=["POST"])
@roles("admin")
def status(user_id):
    """Deactivate a professional (signed out at once) or reactivate them."""
    user = User.get_or_none((User.id == user_id) & (User.role == "professional"))
    if user is None:
        abort(404)
    accounts.set_active(user, not user.active)
    flash(_("%(name)s est réactivé.", name=user.display_name) if user.active
          else _("%(name)s est désactivé : cette personne ne peut plus se connecter.",
                 name=user.display_name), "success")
    return redirect(url_for("pro_admin.index") + f"#pro-{user.id}", 303)


@bp.route("/pro/compte/<token>", methods=["GET", "POST"])
@public
def setup(token):
    """The new professional chooses a password (the link works once, for 7 days)."""
    invitation = accounts.invitation_for(token)
    if invitation is None or not invitation.user.active:
        return render("pro/setup_expired.html", title=_("Ce lien ne fonctionne plus"),
                      status=404)
    form = SetupForm()
    if form.validate_on_submit():
        accounts.accept_invitation(invitation, form.password.data)
        flash(_("Votre mot de passe est enregistré. Connectez-vous."), "success")
        return redirect(url_for("auth.login"), 303)
    return render("pro/setup.html", title=_("Créer votre accès professionnel"), form=form,
                  member=invitation.user, token=token)
