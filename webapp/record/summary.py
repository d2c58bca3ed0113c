"""The health summary: the chosen sections of the record, as plain data for the page and PDF."""

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.i18n import show_datetime
from webapp.models.measurements import Measurement, latest_by_kind
from webapp.models.profile import (
    ProfileEntry,
    SectionStatus,
    entries_by_section,
    not_concerned_sections,
)
from webapp.record import measures, profile_queries
from webapp.record import profile_sections as ps

MEASUREMENTS = "mesures"
EXTRA = {MEASUREMENTS: _l("Dernières mesures")}


def choices(space):
    """(code, title) of every section the summary may hold, in order."""
    return [(s.code, s.title) for s in ps.offered(space)] + list(EXTRA.items())


def build(access, chosen):
    """[(title, [(heading, [(label, text)])], empty text)] for the chosen section codes."""
    space = access.space
    grouped = entries_by_section(access.query(ProfileEntry))
    skipped = not_concerned_sections(access.query(SectionStatus))
    blocks = []
    for section in ps.offered(space):
        if section.code not in chosen:
            continue
        mine = grouped.get(section.code, [])
        form = profile_queries.describing(access, section, section.form(meta={"csrf": False}),
                                          mine)
        items = [ps.describe(section, e.values, form) for e in mine]
        empty = _("Non concerné.") if section.code in skipped else _("Non renseigné.")
        blocks.append((str(section.title), items, empty))
    if MEASUREMENTS in chosen:
        latest = latest_by_kind(access.query(Measurement))
        items = []
        for kind in measures.offered(space):
            m = latest.get(kind.code)
            if m is None:
                continue
            value = kind.format(m.value) + (f" / {kind.format(m.value2)}" if m.value2 else "")
            items.append((str(kind.label), [(_("Valeur"), f"{value} {kind.unit}"),
                                            (_("Date"), show_datetime(m.measured_at)
                                             if m.measured_at
                                             else format_date(m.measured_on, "long"))]))
        weight, height = latest.get("poids"), latest.get("taille")
        bmi = measures.bmi(weight and weight.value, height and height.value)
        if bmi:
            items.append((_("IMC"), [(_("Valeur"), format_decimal(bmi))]))
        blocks.append((str(EXTRA[MEASUREMENTS]), items, _("Aucune mesure.")))
    return blocks
