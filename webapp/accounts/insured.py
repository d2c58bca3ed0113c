"""The file of insured people: one line per person with the INS traits and the postal
address; each new person gets a space (created, notified now, objection deadline in six
weeks), their address, and an activation letter in the queue.

Columns (header line; `;` or `,` between fields; UTF-8):
  matricule_ins, oid (default: NIR), nom_naissance, prenoms_naissance (every given name,
  in order), premier_prenom (default: the first of them), date_naissance (AAAA-MM-JJ or
  JJ/MM/AAAA), sexe (F or M), lieu_naissance (INSEE code), nom_utilise, prenom_utilise,
  statut_identite, adresse_ligne1, adresse_ligne2, code_postal, commune, pays.
A person already known (same matricule) is left as they are; a line with a mistake is
refused with its reason, and the others are imported.
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass, field

from webapp.db import transaction, utcnow
from webapp.models.letters import Letter, PostalAddress
from webapp.models.spaces import Space
from webapp.pro import ins

REQUIRED = ("matricule_ins", "nom_naissance", "prenoms_naissance", "date_naissance", "sexe",
            "adresse_ligne1", "code_postal", "commune")
POSTAL_CODE = re.compile(r"\d{5}")


@dataclass
class Outcome:
    """What an import did: counts, and the refused lines with their reason."""

    created: int = 0
    letters: int = 0
    minors: int = 0
    known: int = 0
    refused: list = field(default_factory=list)  # (line number, reason)


def read(stream):
    """The lines of a CSV file as dicts with lower-case, trimmed keys and values."""
    sample = stream.read(4096)
    stream.seek(0)
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for row in csv.DictReader(stream, delimiter=delimiter):
        yield {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}


def _date(text):
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def person(row):
    """(fields of the space, fields of the address) of a line, or raise ValueError(reason)."""
    missing = [name for name in REQUIRED if not row.get(name)]
    if missing:
        raise ValueError("missing " + ", ".join(missing))
    birth = _date(row["date_naissance"])
    if birth is None:
        raise ValueError("date_naissance is not a date (AAAA-MM-JJ or JJ/MM/AAAA)")
    sex, matricule, oid = row["sexe"].upper(), ins.normalize(row["matricule_ins"]), \
        row.get("oid") or ins.NIR_OID
    if sex not in ("F", "M"):
        raise ValueError("sexe must be F or M")
    problems = ins.problems(matricule, birth, sex, ins.kind_of(oid))
    if problems:
        raise ValueError("matricule_ins: " + ", ".join(problems))
    place = row.get("lieu_naissance", "").upper()
    if place and not ins.birth_place_ok(place, birth):
        raise ValueError("lieu_naissance is not an INSEE code (commune, or 99xxx abroad; "
                         "20xxx only before 1976)")
    if ins.place_problems(matricule, place, ins.kind_of(oid)):
        raise ValueError("lieu_naissance: born abroad and in France at once (see "
                         "matricule_ins)")
    if not POSTAL_CODE.fullmatch(row["code_postal"]):
        raise ValueError("code_postal must have 5 digits")
    status = row.get("statut_identite") or ins.Status.PROVISIONAL
    if status not in set(ins.Status):
        raise ValueError("statut_identite is not an identity status")
    names = " ".join(row["prenoms_naissance"].replace(",", " ").split())
    first = row.get("premier_prenom") or names.split()[0]
    space = dict(nir=matricule, ins_oid=oid, birth_name=row["nom_naissance"],
                 birth_first_names=names, birth_first_name=first, birth_date=birth, sex=sex,
                 birth_place=place, identity_status=status,
                 last_name=row.get("nom_utilise") or row["nom_naissance"],
                 first_name=row.get("prenom_utilise") or first)
    address = dict(line1=row["adresse_ligne1"], line2=row.get("adresse_ligne2", ""),
                   postal_code=row["code_postal"], city=row["commune"],
                   country=row.get("pays", ""))
    return space, address


def import_rows(rows, now=None):
    """Create the spaces, addresses and activation letters of new people; an Outcome."""
    now = now or utcnow()
    outcome, people, seen = Outcome(), [], set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        try:
            fields, address = person(row)
        except ValueError as problem:
            outcome.refused.append((number, str(problem)))
            continue
        if fields["nir"] in seen:
            outcome.refused.append((number, "matricule_ins appears twice in the file"))
            continue
        seen.add(fields["nir"])
        people.append((fields, address))
    matricules = [f["nir"] for f, _a in people]
    known = {s.nir for i in range(0, len(matricules), 500) for s in Space.select(
        Space.nir).where(Space.nir.in_(matricules[i:i + 500]))}
    with transaction():
        for fields, address in people:
            if fields["nir"] in known:
                outcome.known += 1
                continue
            space = Space.create(state="created", notified_at=now, created_at=now, **fields)
            PostalAddress.create(space=space, updated_at=now, **address)
            outcome.created += 1
            if space.is_minor(now.date()):
                outcome.minors += 1  # their own letter comes at 18 (hand-over-adults)
                continue
            Letter.create(space=space, kind="activation", queued_at=now)
            outcome.letters += 1
    return outcome
