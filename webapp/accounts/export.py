"""Export of a whole space as a ZIP file, written to disk piece by piece (never held in
memory): donnees.json (every row of the space, machine-readable), the documents in
their original files under documents/, fhir-everything.json (the space as the FHIR
API's Patient/$everything Bundle, type collection), and resume.html, a summary a person
can read.

Small exports are built during the request; larger ones by a background thread (or the
command `flask --app webapp build-exports`) and offered for download when ready.
"""

import datetime as dt
import io
import json
import os
import re
import secrets
import shutil
import threading
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale
from playhouse.shortcuts import model_to_dict

from webapp import crypto, policy, signals, storage
from webapp.access import Access
from webapp.audit import Action
from webapp.db import after_commit, database, is_sqlite, transaction, utcnow
from webapp.fhir import everything
from webapp.models.agenda import Appointment, PreventionStatus
from webapp.models.assistance import CaregiverInvitation
from webapp.models.audit import AccessLog
from webapp.models.catalogue import AppConnection
from webapp.models.documents import Document
from webapp.models.mandates import Mandate
from webapp.models.measurements import Measurement, MeasurementTarget
from webapp.models.messages import Attachment, Conversation, Message
from webapp.models.privacy import (
    AccessReport,
    Closure,
    EmergencyAccess,
    EmergencySettings,
    ExportJob,
)
from webapp.models.profile import ProfileEntry, SectionStatus
from webapp.models.spaces import Block, CareRelation, Guardianship
from webapp.privacy.history import describe

READY_FOR = dt.timedelta(days=7)
SYNC_LIMIT = 2 * 1024 * 1024  # bytes of documents above which the export runs in background
SECRET_FIELDS = {"password_hash", "code_hash", "token_hash", "activation_code_hash",
                 "totp_secret", "totp_sealed", "params_sealed", "file_path"}
# What an export holds, each read through the requester's access (codes, tokens and
# internal bookkeeping stay out).
EXPORTED = (Document, ProfileEntry, SectionStatus, Measurement, MeasurementTarget,
            Appointment, PreventionStatus, Conversation, Message, Attachment, AccessLog,
            Mandate, CaregiverInvitation, Guardianship, CareRelation, Block,
            EmergencySettings, EmergencyAccess, AppConnection, AccessReport, Closure)
HEX64 = re.compile(r"[0-9a-f]{64}")
FHIR_BUNDLE = "fhir-everything.json"  # FHIR R4 Bundle, what GET Patient/<id>/$everything gives


def export_dir():
    """Where export archives are written."""
    return Path(current_app.config["STORAGE_PATH"]) / "exports"


def exported_tables(access):
    """(table name, model, query) for each kind of row of the space, as the person who
    asked may see it (a minor's documents kept from the parents stay out)."""
    return [(model._meta.table_name, model,
             access.query(model).order_by(model._meta.primary_key)) for model in EXPORTED]


def _row_dict(row):
    data = model_to_dict(row, recurse=False)
    return {k: v for k, v in data.items() if k not in SECRET_FIELDS}


def _files_of(row):
    """(digest, mime) of each stored file a row points to."""
    mime = next((getattr(row, n) for n in ("mime", "mime_type", "content_type")
                 if isinstance(getattr(row, n, None), str)), "")
    for name in row._meta.fields:
        value = getattr(row, name, None)
        if (name not in SECRET_FIELDS and isinstance(value, str) and HEX64.fullmatch(value)
                and name not in ("prev_hash", "entry_hash") and storage.exists(value)):
            yield value, mime


def _safe(text):
    text = re.sub(r"[^\w.-]+", "-", str(text or ""), flags=re.UNICODE).strip("-.")
    return text[:60] or "fichier"


def _arcname(table, row, digest, mime):
    label = next((getattr(row, n) for n in ("title", "filename", "original_name", "name")
                  if getattr(row, n, None)), digest[:12])
    label = _safe(label)
    ext = storage.TYPES.get(mime, "")
    if ext and not label.lower().endswith("." + ext):
        label += "." + ext
    return f"documents/{table}/{row._pk}-{label}"


def estimated_size(access):
    """Bytes of the stored files of the export (decides background or not)."""
    total = 0
    for _table, _model, query in exported_tables(access):
        for row in query.iterator():
            for digest, _mime in _files_of(row):
                total += storage.size(digest)
    return total


def open_archive(path):
    """The content of an export archive (encrypted at rest), to read or send."""
    raw = open(path, "rb")
    if raw.read(len(crypto.MAGIC)) != crypto.MAGIC:  # archives built before encryption
        raw.seek(0)
        return raw
    raw.seek(0)
    return crypto.Reader(raw)


def write_zip(access, path):
    """Write the export of the access's space to `path`, encrypted, readable by the
    service's user only; return the archive's names."""
    tmp = Path(str(path) + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            sealed = crypto.Writer(out)
            names = _write_archive(access, sealed)
            sealed.close()
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return names


def _write_archive(access, out):
    space = access.space
    names, files, counts = [], [], {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("donnees.json", "w") as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write(json.dumps({"format": "mon-espace-sante-export/1",
                                  "exported_at": utcnow().isoformat(),
                                  "space": _row_dict(space)}, default=str,
                                 ensure_ascii=False)[:-1] + ', "tables": {')
            for i, (table, _model, query) in enumerate(exported_tables(access)):
                out.write(("," if i else "") + json.dumps(table) + ": [")
                counts[table] = 0
                for row in query.iterator():
                    out.write(("," if counts[table] else "") + json.dumps(
                        _row_dict(row), default=str, ensure_ascii=False))
                    counts[table] += 1
                    for digest, mime in _files_of(row):
                        files.append((_arcname(table, row, digest, mime), digest, row))
                out.write("]")
            out.write("}}")
            out.flush()
            out.detach()
        names.append("donnees.json")
        with zf.open(FHIR_BUNDLE, "w") as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            for chunk in everything.bundle(access, kind="collection").chunks():
                out.write(chunk)
            out.flush()
            out.detach()
        names.append(FHIR_BUNDLE)
        for arcname, digest, _row in files:
            if arcname in names:
                continue
            with storage.open_blob(digest) as src, zf.open(arcname, "w") as dst:
                shutil.copyfileobj(src, dst, storage.CHUNK)
            names.append(arcname)
        history = access.query(AccessLog).order_by(AccessLog.sequence.desc()).limit(500)
        template = current_app.jinja_env.get_template("account/export_summary.html")
        html = template.render(space=space, counts=counts, files=files, history=history,
                               exported_at=utcnow(), describe=describe,
                               current_locale=str(get_locale() or "fr"))
        zf.writestr("resume.html", html)
        names.append("resume.html")
    return names


def _access_of(job):
    """The access of the person who asked, decided again when the export is built."""
    grant = policy.grant_for(job.requested_by, job.space) if job.requested_by_id else None
    if grant is None:
        return None
    return Access(job.requested_by, job.space, grant)


def build(job, locale="fr", access=None):
    """Build one export job's archive and mark it ready (or failed)."""
    access = access or _access_of(job)
    job.state = "running" if access is not None else "failed"
    job.save()
    if access is None:
        return job
    directory = storage.private_dir(export_dir())
    path = directory / f"export-{job.id}-{secrets.token_hex(8)}.zip"
    try:
        with force_locale(locale):
            write_zip(access, path)
    except Exception:
        job.state = "failed"
        job.save()
        raise
    job.file_path, job.size, job.state = str(path), path.stat().st_size, "ready"
    job.finished_at = utcnow()
    job.expires_at = job.finished_at + READY_FOR
    job.save()
    return job


def request_export(access, locale="fr"):
    """Create an export job (logged): built now when small, else in the background."""
    with transaction():
        job = ExportJob.create(space=access.space, requested_by=access.actor)
        access.log(Action.EXPORT, job)
    limit = current_app.config.get("EXPORT_SYNC_LIMIT", SYNC_LIMIT)
    if estimated_size(access) <= limit:
        return build(job, locale, access)
    if current_app.config.get("EXPORT_THREADS", not current_app.testing):
        app = current_app._get_current_object()
        threading.Thread(target=_build_in_thread, args=(app, job.id, locale),
                         daemon=True).start()
    return job


def _build_in_thread(app, job_id, locale):
    with app.app_context():
        with database.connection_context():
            if claim(job_id):
                _announce(build(ExportJob.get_by_id(job_id), locale))


def claim(job_id):
    """Take a pending job for this builder: True for one builder only, whoever asks
    first (the request's thread, or one of several build-exports runs)."""
    return ExportJob.update(state="running").where(
        (ExportJob.id == job_id) & (ExportJob.state == "pending")).execute() == 1


def _next_pending():
    """The oldest pending job, claimed; on PostgreSQL a job another builder is claiming
    at that moment is skipped, not waited for (FOR UPDATE SKIP LOCKED)."""
    while True:
        with transaction():
            pick = (ExportJob.select(ExportJob.id).where(ExportJob.state == "pending")
                    .order_by(ExportJob.id).limit(1))
            if not is_sqlite():
                pick = pick.for_update(skip_locked=True)
            row = pick.first()
            if row is None:
                return None
            if claim(row.id):
                return ExportJob.get_by_id(row.id)


def build_pending(locale="fr"):
    """Build the pending jobs (the build-exports command); return how many this run
    built. Several runs at once share the jobs: each is built once."""
    count = 0
    while (job := _next_pending()) is not None:
        _announce(build(job, locale))
        count += 1
    return count


def _announce(job):
    """Tell the person who asked that a background export is ready."""
    if job.requested_by_id and job.state == "ready":
        after_commit(lambda: signals.export_ready.send(job))


def remove_expired(now=None):
    """Expire the jobs past their download period, each file gone after its commit; how many."""
    jobs = list(ExportJob.select().where((ExportJob.state == "ready")
                                         & (ExportJob.expires_at <= (now or utcnow()))))
    for job in jobs:
        with transaction():
            path, job.state, job.file_path = job.file_path, "expired", ""
            job.save()
            after_commit(lambda job=job, path=path: signals.export_expired.send(job, path=path))
    return len(jobs)


def delete_archive(job, path=""):
    """Delete an expired or purged export's archive (a receiver of signals.export_expired)."""
    if path and Path(path).resolve().parent == export_dir().resolve():  # never another file
        Path(path).unlink(missing_ok=True)
