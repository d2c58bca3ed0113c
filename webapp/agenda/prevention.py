"""The prevention calendar: vaccinations, child examinations and cancer screenings by age.

Sources (read 2026; the table is kept by hand and reviewed each year):
- Vaccinations: "Calendrier des vaccinations et recommandations vaccinales", ministère
  chargé de la santé, edition 2025 (mandatory vaccines of children born since 2018,
  meningococcus B and ACWY since 2025, adult boosters at 25, 45, 65 then every 10 years).
- Child examinations: the 20 mandatory examinations from birth to 16 years, Code de la
  santé publique, articles L2132-2 and R2132-1 (décret n° 2019-137 of 26 February 2019).
- Organised cancer screenings (Institut national du cancer): breast for women 50 to 74
  every 2 years, cervix for women 25 to 65 (every 3 years, then HPV test every 5 years
  from 30), colorectal for everyone 50 to 74 every 2 years.

Ages are in months; an item applies from `start` (included) to `end` (excluded).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

Y = 12  # months in a year

KIND_LABELS = {"vaccination": _l("Vaccination"), "examination": _l("Examen de l'enfant"),
               "screening": _l("Dépistage")}


@dataclass(frozen=True)
class Item:
    """One recommended act of prevention and the ages it is due."""

    code: str
    kind: str  # vaccination, examination, screening
    label: object
    start: int  # age in months, included
    end: int  # age in months, excluded
    sex: str = ""  # "F" or "M" when it concerns one sex only
    mandatory: bool = False

    def applies_to(self, sex):
        """True for people of this sex."""
        return not self.sex or self.sex == sex


def _exam(code, label, start, end):
    return Item(code, "examination", label, start, end, mandatory=True)


def _vaccine(code, label, start, end, mandatory=False):
    return Item(code, "vaccination", label, start, end, mandatory=mandatory)


ITEMS = (
    _exam("exam-8d", _l("Examen des 8 premiers jours"), 0, 1),
    _exam("exam-2w", _l("Examen de la 2e semaine"), 0, 1),
    _exam("exam-1m", _l("Examen du 1er mois"), 1, 2),
    _vaccine("dtcap-hib-hepb-2m", _l("Diphtérie, tétanos, coqueluche, polio, Hib, hépatite B "
                                     "(1re dose)"), 2, 4, mandatory=True),
    _vaccine("pneumo-2m", _l("Pneumocoque (1re dose)"), 2, 4, mandatory=True),
    _vaccine("menb-3m", _l("Méningocoque B (1re dose)"), 3, 5, mandatory=True),
    _vaccine("dtcap-hib-hepb-4m", _l("Diphtérie, tétanos, coqueluche, polio, Hib, hépatite B "
                                     "(2e dose)"), 4, 6, mandatory=True),
    _vaccine("menb-5m", _l("Méningocoque B (2e dose)"), 5, 7, mandatory=True),
    _vaccine("menacwy-6m", _l("Méningocoque ACWY (1re dose)"), 6, 8, mandatory=True),
    _exam("exam-9m", _l("Examen du 9e mois (certificat de santé)"), 8, 10),
    _vaccine("dtcap-hib-hepb-11m", _l("Diphtérie, tétanos, coqueluche, polio, Hib, hépatite B "
                                      "(rappel)"), 11, 13, mandatory=True),
    _vaccine("ror-12m", _l("Rougeole, oreillons, rubéole (1re dose)"), 12, 16, mandatory=True),
    _vaccine("menacwy-12m", _l("Méningocoque ACWY (rappel)"), 12, 16, mandatory=True),
    _vaccine("menb-12m", _l("Méningocoque B (rappel)"), 12, 16, mandatory=True),
    _vaccine("ror-16m", _l("Rougeole, oreillons, rubéole (2e dose)"), 16, 19, mandatory=True),
    _exam("exam-24m", _l("Examen du 24e mois (certificat de santé)"), 23, 26),
    _exam("exam-3y", _l("Examen des 3 ans"), 3 * Y, 4 * Y),
    _exam("exam-4y", _l("Examen des 4 ans"), 4 * Y, 5 * Y),
    _exam("exam-5y", _l("Examen des 5 ans"), 5 * Y, 6 * Y),
    _vaccine("dtcap-6y", _l("Diphtérie, tétanos, coqueluche, polio (rappel des 6 ans)"),
             6 * Y, 8 * Y),
    _exam("exam-6y", _l("Examen des 6 ans"), 6 * Y, 7 * Y),
    _exam("exam-8y", _l("Examen entre 8 et 9 ans"), 8 * Y, 10 * Y),
    _vaccine("hpv-11y", _l("Papillomavirus (HPV)"), 11 * Y, 15 * Y),
    _vaccine("dtcap-11y", _l("Diphtérie, tétanos, coqueluche, polio (rappel de 11 à 13 ans)"),
             11 * Y, 14 * Y),
    _vaccine("menacwy-11y", _l("Méningocoque ACWY (adolescent)"), 11 * Y, 15 * Y),
    _exam("exam-11y", _l("Examen entre 11 et 13 ans"), 11 * Y, 14 * Y),
    _exam("exam-15y", _l("Examen entre 15 et 16 ans"), 15 * Y, 17 * Y),
    _vaccine("dtcap-25y", _l("Diphtérie, tétanos, coqueluche, polio (rappel des 25 ans)"),
             25 * Y, 26 * Y),
    Item("cervix-25y", "screening", _l("Dépistage du cancer du col de l'utérus (frottis tous "
                                       "les 3 ans)"), 25 * Y, 30 * Y, sex="F"),
    Item("cervix-30y", "screening", _l("Dépistage du cancer du col de l'utérus (test HPV tous "
                                       "les 5 ans)"), 30 * Y, 66 * Y, sex="F"),
    _vaccine("dtp-45y", _l("Diphtérie, tétanos, polio (rappel des 45 ans)"), 45 * Y, 46 * Y),
    Item("breast-50y", "screening", _l("Dépistage du cancer du sein (mammographie tous les "
                                       "2 ans)"), 50 * Y, 75 * Y, sex="F"),
    Item("colorectal-50y", "screening", _l("Dépistage du cancer colorectal (test tous les "
                                           "2 ans)"), 50 * Y, 75 * Y),
    _vaccine("dtp-65y", _l("Diphtérie, tétanos, polio (rappel des 65 ans)"), 65 * Y, 66 * Y),
    _vaccine("flu-65y", _l("Grippe (chaque automne)"), 65 * Y, 130 * Y),
)
BY_CODE = {item.code: item for item in ITEMS}
SOON = 3 * Y  # items starting within three years are shown as coming up


def age_in_months(birth_date, today):
    """Whole months lived on a day."""
    months = (today.year - birth_date.year) * 12 + today.month - birth_date.month
    return months - (today.day < birth_date.day)


def calendar_for(birth_date, sex, today):
    """(current, coming, past) items for a person: due now, due within 3 years, gone by."""
    age = age_in_months(birth_date, today)
    current, coming, past = [], [], []
    for item in ITEMS:
        if not item.applies_to(sex):
            continue
        if item.start <= age < item.end:
            current.append(item)
        elif age < item.start <= age + SOON:
            coming.append(item)
        elif item.end <= age:
            past.append(item)
    return current, coming, past
