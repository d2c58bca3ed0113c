"""A professional's emergency access to a patient's space, with a stated reason."""

import datetime as dt

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _

from webapp import policy
from webapp.accounts import lifecycle
from webapp.guards import roles, signed_in_user
from webapp.privacy import actions
from webapp.privacy.forms import EmergencyRequestForm
from webapp.pro import professions
from webapp.ratelimit import Attempts
from webapp.rendering import render
from webapp.security import keyed_hash

bp = Blueprint("emergency", __name__)
# Refused look-ups a professional may make before waiting: an emergency is about one
# patient, not a search through people.
REFUSED_LOOKUPS = Attempts("emergency-lookup", "10 per hour")


def parse_date(text):
    """A date typed as JJ/MM/AAAA (or AAAA-MM-JJ), or None."""
    text = (text or "").strip()[:20]
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if day.year >= 1850 else None
    return None


@bp.route("/urgence", methods=["GET", "POST"])
@roles("professional")
def index():
    """Ask for an emergency access: patient's identity and the reason."""
    user = signed_in_user()
    form = EmergencyRequestForm()
    if form.validate_on_submit():
        nir = lifecycle.normalize_nir(form.nir.data)
        birth = parse_date(form.birth_date.data)
        if not lifecycle.nir_key_ok(nir):
            form.nir.errors.append(_("Ce numéro n'est pas valide : vérifiez les 15 chiffres, "
                                     "y compris la clé."))
        elif birth is None:
            form.birth_date.errors.append(_("Saisissez la date sous la forme JJ/MM/AAAA, par "
                                            "exemple 08/03/1995."))
        elif REFUSED_LOOKUPS.blocked(str(user.id)):
            form.nir.errors.append(_("Trop de recherches sans résultat. Réessayez dans "
                                     "%(minutes)s minutes.",
                                     minutes=REFUSED_LOOKUPS.retry_minutes(str(user.id))))
        else:
            space = lifecycle.find_space(nir, birth)
            refusal = actions.open_emergency(user, space, form.reason.data)
            if refusal == "refused":  # counted, and kept in the service's security log
                REFUSED_LOOKUPS.fail(str(user.id))
                current_app.logger.warning(
                    "refused emergency look-up by professional %s (person %s)", user.id,
                    keyed_hash(nir, "lookup")[:16])
            if refusal == "follows":
                flash(_("Vous suivez déjà ce patient : son dossier vous est ouvert sans accès "
                        "en urgence."), "info")
                return redirect(url_for("documents.index", ref=space.ref), 303)
            if refusal is None:
                flash(_("Accès en urgence ouvert pour deux heures. Le patient en est informé."),
                      "warning")
                return redirect(url_for("documents.index", ref=space.ref), 303)
            form.nir.errors.append(_("Aucun espace santé consultable en urgence ne correspond "
                                     "à ce patient : il n'existe pas, n'est pas ouvert, ou le "
                                     "patient a refusé l'accès en urgence."))
    return render("emergency/index.html", title=_("Accès en urgence"), form=form,
                  kind=professions.emergency_kind(user.profession, user.specialty),
                  accesses=policy.running_emergencies(user))
