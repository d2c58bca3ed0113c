"""Demo agenda: Camille's past and future appointments (one tomorrow, so a reminder is
due), reminders, Léo's check-up, and prevention statuses for both."""

import datetime as dt
from zoneinfo import ZoneInfo

from webapp.db import utcnow
from webapp.models.agenda import Appointment, PreventionStatus

PARIS = ZoneInfo("Europe/Paris")
BERNARD = dict(with_whom="Dr Paul BERNARD, médecin généraliste",
               address="8 rue de Belleville, 75020 Paris")


def _at(days, hour, minute=0):
    """Naive UTC for a Paris wall-clock time, days from today."""
    today = utcnow().replace(tzinfo=dt.UTC).astimezone(PARIS).date()
    local = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, minute), PARIS)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _entries(ctx):
    bernard = ctx.users["bernard"]
    pro = dict(owner_kind="professional", owner_name=bernard.display_name, created_by=bernard,
               **BERNARD)
    camille = ctx.users["camille"]
    mine = dict(owner_kind="citizen", created_by=camille)
    return {
        "camille": [
            dict(title="Consultation de médecine générale", starts_at=_at(-45, 10), **pro),
            dict(title="Prise de sang", starts_at=_at(-30, 8, 15), with_whom="Laboratoire "
                 "Bio Paris 19", address="40 avenue Jean Jaurès, 75019 Paris",
                 note="Venir à jeun, apporter l'ordonnance.", **mine),
            dict(title="Séance de kinésithérapie", starts_at=_at(-8, 18), with_whom="Cabinet "
                 "de kinésithérapie Crimée", address="3 rue de Crimée, 75019 Paris", **mine),
            dict(title="Contrôle chez le dentiste", starts_at=_at(1, 9, 30), with_whom="Dr "
                 "Claire LEROY, chirurgienne-dentiste", address="21 rue Manin, 75019 Paris",
                 note="Demander un devis pour le détartrage.", **mine),
            dict(title="Consultation de suivi", starts_at=_at(12, 17, 30), **pro),
            dict(title="Invitation au dépistage du cancer du col de l'utérus", kind="reminder",
                 starts_at=_at(30, 9), owner_kind="app", owner_name="Assurance Maladie",
                 note="Prendre rendez-vous avec votre médecin, une sage-femme ou un "
                      "gynécologue."),
        ],
        "leo": [
            dict(title="Examen de santé des 8 ans", starts_at=_at(20, 16, 45), **pro),
            dict(title="Rappel : vaccin diphtérie, tétanos, coqueluche, polio", kind="reminder",
                 starts_at=_at(45, 9), owner_kind="app", owner_name="Assurance Maladie"),
        ],
    }


STATUSES = {
    "camille": {"dtcap-25y": "done", "cervix-25y": "done", "cervix-30y": "done"},
    "leo": {"exam-8d": "done", "exam-9m": "done", "exam-24m": "done", "exam-6y": "done",
            "dtcap-hib-hepb-2m": "done", "dtcap-hib-hepb-4m": "done",
            "dtcap-hib-hepb-11m": "done", "pneumo-2m": "done", "ror-12m": "done",
            "ror-16m": "done", "menb-3m": "not_done", "exam-5y": "not_done"},
}


def seed(ctx):
    """Appointments, reminders and prevention statuses (created once)."""
    for key, entries in _entries(ctx).items():
        space = ctx.spaces[key]
        if Appointment.select().where(Appointment.space == space).exists():
            continue
        for fields in entries:
            Appointment.create(space=space, **fields)
    for key, statuses in STATUSES.items():
        for item, status in statuses.items():
            PreventionStatus.get_or_create(space=ctx.spaces[key], item=item,
                                           defaults=dict(status=status))
