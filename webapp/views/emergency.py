"""A professional's emergency access to a patient's space, with a stated reason."""

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from webapp import lifecycle, policy
from webapp.db import utcnow
from webapp.forms import Form, required
from webapp.guards import roles
from webapp.models.privacy import EmergencyAccess
from webapp.models.spaces import Space
from webapp.rendering import render

bp = Blueprint("emergency", __name__)
EMS_WORDS = ("urgen", "samu", "smur", "régulat", "regulat")


def kind_of(user):
    """'ems' for emergency medical services (from the profession), else 'break_glass'."""
    profession = (user.profession or "").lower()
    return "ems" if any(word in profession for word in EMS_WORDS) else "break_glass"


class EmergencyForm(Form):
    nir = StringField(_l("Numéro de sécurité sociale du patient"), validators=[
        required(_l("Saisissez le numéro de sécurité sociale du patient (15 chiffres)."))])
    birth_date = StringField(_l("Date de naissance du patient"), validators=[
        required(_l("Saisissez la date de naissance du patient."))])
    reason = TextAreaField(_l("Motif de l'accès en urgence"), validators=[
        required(_l("Indiquez le motif de l'accès en urgence.")),
        Length(min=10, max=500, message=_l("Décrivez le motif en 10 à 500 caractères."))])


def parse_date(text):
    """A date typed as JJ/MM/AAAA (or AAAA-MM-JJ), or None."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _current_accesses(user):
    return (EmergencyAccess.select().where((EmergencyAccess.professional == user)
                                           & (EmergencyAccess.ends_at > utcnow()))
            .order_by(EmergencyAccess.started_at.desc()))


@bp.route("/urgence", methods=["GET", "POST"])
@roles("professional")
def index():
    """Ask for an emergency access: patient's identity and the reason."""
    user = current_user._get_current_object()
    form = EmergencyForm()
    if form.validate_on_submit():
        nir = lifecycle.normalize_nir(form.nir.data)
        birth = parse_date(form.birth_date.data)
        if not lifecycle.nir_key_ok(nir):
            form.nir.errors.append(_("Ce numéro n'est pas valide : vérifiez les 15 chiffres, "
                                     "y compris la clé."))
        elif birth is None:
            form.birth_date.errors.append(_("Saisissez la date sous la forme JJ/MM/AAAA, par "
                                            "exemple 08/03/1995."))
        else:
            space = lifecycle.find_space(nir, birth)
            grant = policy.emergency_grant(user, space, form.reason.data, kind_of(user)) \
                if space is not None else None
            if grant is not None:
                session["space_id"] = space.id
                flash(_("Accès en urgence ouvert pour deux heures. Le patient en est informé."),
                      "warning")
                return redirect(_landing(), 303)
            form.nir.errors.append(_("Aucun espace santé consultable en urgence ne correspond "
                                     "à ce patient : il n'existe pas, n'est pas ouvert, ou le "
                                     "patient a refusé l'accès en urgence."))
    return render("emergency/index.html", title=_("Accès en urgence"), form=form,
                  kind=kind_of(user), accesses=_current_accesses(user))


@bp.route("/urgence/<int:access_id>/ouvrir", methods=["POST"])
@roles("professional")
def resume(access_id):
    """Go back to a patient's space during a running emergency access."""
    access = _current_accesses(current_user.id).where(EmergencyAccess.id == access_id).first()
    space = Space.get_or_none(Space.id == access.space_id) if access else None
    if space is None or policy.grant_for(current_user._get_current_object(), space) is None:
        abort(404)
    session["space_id"] = space.id
    return redirect(_landing(), 303)


def _landing():
    for endpoint in ("documents.index", "home.index"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return "/"


def init_app(app):
    """Menu entry for professionals."""
    from webapp import navigation

    navigation.add(120, "emergency.index", _l("Accès en urgence"), roles=("professional",))
