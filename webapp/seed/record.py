"""Demo record: documents (real small PDF, PNG and text files), medical profile entries and
measurements for Camille, Léo and Jean."""

import datetime as dt
import io
import math
import struct
import zlib

from fpdf import FPDF

from webapp import storage
from webapp.db import utcnow
from webapp.models.documents import Document
from webapp.models.measurements import Measurement, MeasurementTarget
from webapp.models.profile import ProfileEntry, SectionStatus
from webapp.record.profile_sections import BY_CODE

LAB = "Laboratoire Biolab"
# (days ago, category, title, author: "bernard" | "lab" | "citizen", format)
CAMILLE_DOCUMENTS = [
    (3, "BIOLOGIE", "Bilan sanguin complet", "lab", "pdf"),
    (5, "ORD_SOIN", "Ordonnance – renouvellement traitement asthme", "bernard", "pdf"),
    (9, "CPT_REND", "Compte rendu de consultation – suivi annuel", "bernard", "pdf"),
    (20, "SYNTHESE", "Synthèse médicale 2026", "bernard", "pdf"),
    (34, "RADIO_SC", "Échographie abdominale", "bernard", "png"),
    (41, "DEPISTAG", "Invitation au dépistage du cancer du col de l'utérus", "system", "txt"),
    (55, "CERT_MED", "Certificat d'aptitude au sport", "bernard", "pdf"),
    (60, "DOC_ADM", "Attestation de droits à l'Assurance Maladie", "citizen", "pdf"),
    (75, "AUTR_DOC", "Carnet de suivi de l'asthme", "citizen", "txt"),
    (90, "BIOLOGIE", "Glycémie à jeun", "lab", "pdf"),
    (110, "ORD_SOIN", "Ordonnance de kinésithérapie", "bernard", "pdf"),
    (130, "RADIO_SC", "Radiographie du poignet gauche", "bernard", "png"),
    (150, "CPT_REND", "Compte rendu d'hospitalisation de jour", "bernard", "pdf"),
    (170, "BIOLOGIE", "Bilan lipidique", "lab", "pdf"),
    (200, "DEPISTAG", "Résultat de mammographie de dépistage", "bernard", "pdf"),
    (230, "CERT_MED", "Certificat médical pour la crèche de Léo", "bernard", "pdf"),
    (260, "DOC_ADM", "Attestation de mutuelle", "citizen", "pdf"),
    (290, "ORD_SOIN", "Ordonnance – antibiotique", "bernard", "pdf"),
    (320, "BIOLOGIE", "Numération formule sanguine", "lab", "pdf"),
    (350, "SYNTHESE", "Synthèse médicale 2025", "bernard", "pdf"),
    (380, "CPT_REND", "Compte rendu de consultation d'allergologie", "bernard", "pdf"),
    (410, "RADIO_SC", "IRM du genou droit", "bernard", "pdf"),
    (440, "AUTR_DOC", "Photo de l'éruption cutanée", "citizen", "png"),
    (470, "BIOLOGIE", "Ferritine", "lab", "pdf"),
    (500, "ORD_SOIN", "Ordonnance de lunettes", "bernard", "pdf"),
    (530, "DEPISTAG", "Questionnaire de prévention", "citizen", "txt"),
    (560, "CERT_MED", "Certificat de vaccination antigrippale", "bernard", "pdf"),
    (590, "DOC_ADM", "Carte européenne d'assurance maladie", "citizen", "png"),
    (620, "CPT_REND", "Compte rendu opératoire – appendicectomie", "bernard", "pdf"),
    (650, "BIOLOGIE", "Sérologies", "lab", "pdf"),
    (680, "RADIO_SC", "Scanner des sinus", "bernard", "pdf"),
    (700, "ORD_SOIN", "Ordonnance – séances d'orthoptie", "bernard", "pdf"),
]
HIDDEN = {"Photo de l'éruption cutanée", "Ordonnance – antibiotique", "Sérologies"}
NEW_WITHIN_DAYS = 25  # documents more recent than this stay "new"
LEO_DOCUMENTS = [
    (12, "CERT_MED", "Certificat de vaccination", "bernard", "pdf", False),
    (40, "CPT_REND", "Bilan de santé des 6 ans", "bernard", "pdf", False),
    (95, "ORD_SOIN", "Ordonnance – sirop contre la toux", "bernard", "pdf", False),
    (130, "CPT_REND", "Consultation confidentielle", "bernard", "txt", True),
]
JEAN_DOCUMENTS = [
    (15, "BIOLOGIE", "Hémoglobine glyquée", "lab", "pdf"),
    (30, "ORD_SOIN", "Ordonnance – metformine", "bernard", "pdf"),
    (200, "CPT_REND", "Compte rendu de cardiologie", "bernard", "pdf"),
    (400, "DOC_ADM", "Attestation de droits", "citizen", "txt"),
]


def pdf_bytes(title, author):
    """A small, real one-page PDF."""
    pdf = FPDF(format=(148, 210))  # A5, in mm
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 8, title.replace("–", "-").replace("’", "'").encode(
        "latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(0, 6, f"{author}\nDocument de démonstration.".encode(
        "latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def png_bytes(seed):
    """A small, real grey-scale PNG image (64 x 48 gradient)."""
    width, height = 64, 48
    raw = b"".join(b"\x00" + bytes((x * 4 + y * 2 + seed) % 256 for x in range(width))
                   for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _content(fmt, title, author_name, index):
    if fmt == "png":
        return png_bytes(index), "image.png"
    if fmt == "txt":
        return (f"{title}\n{author_name}\nDocument de démonstration.\n").encode(), "note.txt"
    return pdf_bytes(title, author_name), "document.pdf"


def _documents(ctx, space, rows, owner_key):
    if Document.select().where((Document.space == space) & (Document.source == "seed")).exists():
        return
    today = utcnow().date()
    authors = {"bernard": (ctx.users["bernard"], "professional", "Dr Paul BERNARD"),
               "lab": (None, "professional", LAB),
               "system": (None, "system", "Assurance Maladie"),
               "citizen": (ctx.users.get(owner_key), "citizen",
                           ctx.users[owner_key].display_name if owner_key in ctx.users else "")}
    for index, row in enumerate(rows):
        days, category, title, who, fmt = row[:5]
        user, kind, name = authors[who]
        content, filename = _content(fmt, title, name, index)
        digest, size, mime = storage.store(io.BytesIO(content))
        created = utcnow() - dt.timedelta(days=days)
        Document.create(space=space, title=title, category=category,
                        document_date=today - dt.timedelta(days=days), sha256=digest,
                        size=size, mime=mime, original_filename=filename, author=user,
                        author_kind=kind, author_name=name, source="seed",
                        hidden=title in HIDDEN,
                        confidential=bool(row[5]) if len(row) > 5 else False,
                        created_at=created,
                        first_opened_at=None if days < NEW_WITHIN_DAYS else created)


def _entries(space, entries, not_concerned=()):
    if ProfileEntry.select().where(ProfileEntry.space == space).exists():
        return
    for code, values in entries:
        section = BY_CODE[code]
        entry = ProfileEntry(space=space, section=code, author_kind="citizen")
        entry.values = values
        entry.sort_date = values.get(section.date_field) if section.date_field else None
        entry.save()
    for code in not_concerned:
        SectionStatus.get_or_create(space=space, section=code)


def _measurements(space, series):
    """series: {kind: [(days ago, value, value2 or None)]}."""
    if Measurement.select().where(Measurement.space == space).exists():
        return
    today = utcnow().date()
    for kind, points in series.items():
        for days, value, value2 in points:
            Measurement.create(space=space, kind=kind, value=value, value2=value2,
                               measured_on=today - dt.timedelta(days=days))


def _camille_measurements():
    weights = [(days, round(64.5 + days / 365 * 1.5 + 0.6 * math.sin(days / 40), 1), None)
               for days in range(0, 730, 30)]
    pressure = [(days, 118 + (days // 30) % 7, 76 + (days // 45) % 5, ) for days in
                range(5, 730, 60)]
    return {"poids": weights, "taille": [(700, 165, None)],
            "tension": [(d, s, di) for d, s, di in pressure],
            "glycemie": [(90, 0.92, None), (450, 0.88, None)],
            "frequence-cardiaque": [(10, 68, None), (200, 72, None)],
            "temperature": [(130, 38.4, None)], "douleur": [(130, 6, None)],
            "pas": [(1, 8450, None), (2, 10230, None)]}


def seed(ctx):
    """Documents, profile and measurements of the demo spaces (idempotent)."""
    camille, leo, jean = ctx.spaces["camille"], ctx.spaces["leo"], ctx.spaces["jean"]
    today = utcnow().date()
    _documents(ctx, camille, CAMILLE_DOCUMENTS, "camille")
    _documents(ctx, leo, LEO_DOCUMENTS, "camille")
    _documents(ctx, jean, JEAN_DOCUMENTS, "jean")
    _entries(camille, [
        ("maladies", {"name": "Asthme", "status": "ongoing", "start_date": dt.date(2002, 9, 1)}),
        ("maladies", {"name": "Appendicite", "status": "past", "start_date": dt.date(2024, 12, 2),
                      "end_date": dt.date(2024, 12, 20)}),
        ("traitements", {"name": "Salbutamol", "dosage": "100 µg", "frequency": "Si besoin",
                         "duration": "Au long cours"}),
        ("hospitalisations", {"reason": "Appendicectomie", "place": "Hôpital Robert-Debré",
                              "start_date": dt.date(2024, 12, 3),
                              "end_date": dt.date(2024, 12, 5)}),
        ("allergies", {"substance": "Pénicilline", "reaction": "Urticaire"}),
        ("antecedents-familiaux", {"relationship": "mother", "condition": "Diabète de type 2"}),
        ("handicaps", {"description": "Myopie forte", "note": "Lunettes en permanence"}),
        ("groupe-sanguin", {"blood_group": "A+"}),
        ("vaccinations", {"vaccine": "Grippe saisonnière", "date": today - dt.timedelta(40),
                          "dose": "Annuelle", "batch": "FLU-2026-118",
                          "professional": "Dr Paul BERNARD"}),
        ("vaccinations", {"vaccine": "Diphtérie, tétanos, poliomyélite",
                          "date": dt.date(2021, 3, 9), "dose": "Rappel", "batch": "DTP-5521"}),
        ("directives-anticipees", {"life_support": "stop",
                                   "wishes": "Je ne souhaite pas d'acharnement thérapeutique."}),
        ("don-d-organes", {"acknowledged": True, "note": "J'en ai parlé à mon frère."}),
        ("entourage", {"name": "Marc Martin", "kind": "trusted", "relationship": "Frère",
                       "phone": "06 12 34 56 78"}),
        ("entourage", {"name": "Sophie Leroy", "kind": "emergency", "relationship": "Amie",
                       "phone": "06 98 76 54 32"}),
    ])
    _entries(leo, [
        ("vaccinations", {"vaccine": "ROR (rougeole, oreillons, rubéole)",
                          "date": dt.date(2019, 12, 10), "dose": "1re dose"}),
        ("vaccinations", {"vaccine": "ROR (rougeole, oreillons, rubéole)",
                          "date": dt.date(2020, 3, 12), "dose": "2e dose"}),
        ("vaccinations", {"vaccine": "DTCaP", "date": dt.date(2024, 12, 5), "dose": "Rappel 6 ans",
                          "professional": "Dr Paul BERNARD"}),
        ("allergies", {"substance": "Arachide", "reaction": "Gonflement des lèvres"}),
        ("groupe-sanguin", {"blood_group": "O+"}),
    ], not_concerned=("traitements", "hospitalisations", "handicaps"))
    _entries(jean, [
        ("maladies", {"name": "Diabète de type 2", "status": "ongoing",
                      "start_date": dt.date(2019, 4, 1)}),
        ("traitements", {"name": "Metformine", "dosage": "1 000 mg", "frequency": "Matin et soir"}),
        ("groupe-sanguin", {"blood_group": "B−"}),
    ], not_concerned=("allergies",))
    _measurements(camille, _camille_measurements())
    age_days = (today - leo.birth_date).days
    _measurements(leo, {
        "taille": [(age_days - m * 30, round(50 + 25 * math.log1p(m / 6), 1), None)
                   for m in (1, 6, 12, 24, 36, 48, 60, 72, 80) if age_days - m * 30 >= 0],
        "poids": [(age_days - m * 30, round(3.4 + 2.2 * math.log1p(m / 2), 1), None)
                  for m in (1, 6, 12, 24, 36, 48, 60, 72, 80) if age_days - m * 30 >= 0],
        "perimetre-cranien": [(age_days - m * 30, round(35 + 6 * math.log1p(m / 3), 1), None)
                              for m in (1, 6, 12, 24, 36, 48) if age_days - m * 30 >= 0],
    })
    _measurements(jean, {"hba1c": [(15, 7.1, None), (110, 7.6, None), (200, 7.9, None)],
                         "glycemie": [(15, 1.32, None), (200, 1.45, None)],
                         "poids": [(15, 88.2, None), (200, 90.5, None)],
                         "taille": [(400, 178, None)]})
    MeasurementTarget.get_or_create(space=jean, kind="hba1c", defaults={"value": 7.0})
    MeasurementTarget.get_or_create(space=camille, kind="poids", defaults={"value": 63.0})
