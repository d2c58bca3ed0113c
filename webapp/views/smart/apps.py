"""Connected apps: what each app authorised on a space may do, its last access, revoking
it (its tokens stop at the next request), reporting it to the administrators; and the
software a professional authorised."""

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask_babel import gettext as _

from webapp.forms import Form
from webapp.guards import SPACE, on_space, roles, signed_in_user
from webapp.models.smart import SmartClient, SmartConsent
from webapp.rendering import render
from webapp.scopes import HOLDER_SIDE, Scope
from webapp.smart import consents, reports
from webapp.smart import scopes as smart_scopes
from webapp.smart.forms import ReportForm

bp = Blueprint("smart_apps", __name__)


def _in_force():
    """The consents in force on the request's space, with their client."""
    return (g.access.query(SmartConsent, SmartConsent, SmartClient)
            .switch(SmartConsent).join(SmartClient)
            .where(SmartConsent.revoked_at.is_null())
            .order_by(SmartConsent.updated_at.desc(), SmartConsent.id.desc()))


def _consent(consent_id):
    consent = _in_force().where(SmartConsent.id == consent_id).first()
    if consent is None:
        abort(404)
    return consent


def _rows(found):
    return [dict(consent=c, granted=[smart_scopes.describe(s) for s in sorted(c.granted_set)],
                 refused=[smart_scopes.describe(s) for s in sorted(c.refused_set)])
            for c in found]


@bp.route(SPACE + "/applications-connectees")
@on_space(Scope.PRIVACY, HOLDER_SIDE)
def index():
    """Each app with access to this space: what it may do, since when, its last access."""
    return render("smart/connected.html", title=_("Applications connectées"),
                  rows=_rows(_in_force()), form=Form())


@bp.route(SPACE + "/applications-connectees/<int:consent_id>/retirer", methods=["POST"])
@on_space(Scope.PRIVACY, HOLDER_SIDE)
def revoke(consent_id):
    """Take back an app's access: its tokens stop at its next request."""
    consent = _consent(consent_id)
    if Form().validate_on_submit():
        consents.revoke(consent, access=g.access)
        flash(_("%(app)s n'a plus accès à cet espace.", app=consent.client.name), "success")
    return redirect(url_for("smart_apps.index"), 303)


@bp.route(SPACE + "/applications-connectees/<int:consent_id>/signaler",
          methods=["GET", "POST"])
@on_space(Scope.PRIVACY, HOLDER_SIDE)
def report(consent_id):
    """Tell the administrators what is wrong with an app."""
    consent = _consent(consent_id)
    form = ReportForm()
    if form.validate_on_submit():
        reports.report(g.access, consent.client, form.reason.data)
        flash(_("Merci : votre signalement de %(app)s est transmis aux administrateurs.",
                app=consent.client.name), "success")
        return redirect(url_for("smart_apps.index"), 303)
    return render("smart/report.html", title=_("Signaler %(app)s", app=consent.client.name),
                  form=form, consent=consent)


@bp.route("/pro/logiciels-autorises")
@roles("professional")
def software():
    """The software this professional authorised to act with their rights."""
    return render("smart/software.html", title=_("Logiciels autorisés"),
                  rows=_rows(consents.of_user(signed_in_user())), form=Form())


@bp.route("/pro/logiciels-autorises/<int:consent_id>/retirer", methods=["POST"])
@roles("professional")
def revoke_software(consent_id):
    """Take back a software's access: its tokens stop at its next request."""
    consent = consents.of_user(signed_in_user()).where(SmartConsent.id == consent_id).first()
    if consent is None:
        abort(404)
    if Form().validate_on_submit():
        consents.revoke(consent)
        flash(_("%(app)s ne peut plus agir en votre nom.", app=consent.client.name), "success")
    return redirect(url_for("smart_apps.software"), 303)
