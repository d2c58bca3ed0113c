"""The sections of the medical profile: code (also the URL part), title, form, and rules."""

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import Optional

from webapp.record import profile_forms as pf
from webapp.record.fields import choice_label


@dataclass(frozen=True)
class Section:
    """One section: its form, whether it holds a single entry, whether minors get it."""

    code: str
    title: object
    form: type
    intro: object = ""
    single: bool = False
    adults_only: bool = False
    date_field: str = ""  # the field that orders entries, latest first

    def offered_to(self, space, today=None):
        """Advance directives are not offered for minors."""
        return not (self.adults_only and space.is_minor(today))


SECTIONS = [
    Section("maladies", _l("Maladies et sujets de santé"), pf.IllnessForm,
            _l("Maladies en cours ou passées, opérations, sujets de santé à connaître."),
            date_field="start_date"),
    Section("traitements", _l("Traitements"), pf.TreatmentForm,
            _l("Médicaments et traitements que vous prenez.")),
    Section("hospitalisations", _l("Hospitalisations"), pf.HospitalisationForm,
            date_field="start_date"),
    Section("allergies", _l("Allergies et intolérances"), pf.AllergyForm),
    Section("antecedents-familiaux", _l("Antécédents familiaux"), pf.FamilyHistoryForm,
            _l("Maladies de vos proches parents utiles à vos soins.")),
    Section("handicaps", _l("Handicaps"), pf.DisabilityForm),
    Section("groupe-sanguin", _l("Groupe sanguin"), pf.BloodGroupForm, single=True),
    Section("vaccinations", _l("Vaccinations"), pf.VaccinationForm, date_field="date"),
    Section("directives-anticipees", _l("Directives anticipées"), pf.DirectivesForm,
            _l("Vos volontés sur votre fin de vie, si un jour vous ne pouvez plus les "
               "exprimer. Vous pouvez les modifier à tout moment."),
            single=True, adults_only=True),
    Section("don-d-organes", _l("Don d'organes et de tissus"), pf.OrganDonationForm,
            _l("En France, chacun est donneur présumé sauf s'il a exprimé son refus. Parlez-en "
               "à vos proches."), single=True),
    Section("entourage", _l("Mon entourage"), pf.ContactForm,
            _l("Personnes à prévenir en cas d'urgence, personne de confiance (une seule), "
               "aidants.")),
]
BY_CODE = {s.code: s for s in SECTIONS}


def offered(space):
    """The sections offered for this space."""
    return [s for s in SECTIONS if s.offered_to(space)]


def is_optional(field):
    """True when the field may be left empty."""
    return any(isinstance(v, Optional) for v in field.validators)


def describe(section, values, prepared=None):
    """(heading, [(label, text)]) of an entry, for display and the summary.

    `prepared` is a form of the section whose choices were filled for the space.
    """
    form = section.form(meta={"csrf": False}, data=values)
    if prepared is not None:
        for field in form:
            if getattr(prepared[field.name], "choices", None) is not None:
                field.choices = prepared[field.name].choices
    rows, first_is_box = [], None
    for field in form:
        value = values.get(field.name)
        if value in (None, "", False):
            continue
        if isinstance(field, BooleanField):
            text = _("Oui")
        elif isinstance(field, (RadioField, SelectField)):
            text = str(choice_label(field.choices, value))
        elif hasattr(value, "isoformat"):
            text = format_date(value, "long")
        else:
            text = str(value)
        if first_is_box is None:
            first_is_box = isinstance(field, BooleanField)
        rows.append((str(field.label.text), text))
    if not rows:
        return "", []
    heading = rows[0][0] if first_is_box else rows[0][1]  # a ticked box reads as its label
    return heading, rows[1:]
