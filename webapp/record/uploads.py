"""Files received with a form: a phone photo made to fit, then stored and kept for the
form (its account, space and form, an hour at most) until the form is valid, so that an
error elsewhere never makes the person choose the file again.

The form sends back the kept file's token (`received_file`) and the person's choice
(`file_choice`: keep it or change it); a newly chosen file always wins.
"""

import datetime as dt
import io
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp import signals, storage
from webapp.db import after_commit, transaction, utcnow
from webapp.models.uploads import ReceivedFile
from webapp.record import files, photos

LIFETIME = dt.timedelta(hours=1)
TOKEN, CHOICE = "received_file", "file_choice"
CHANGE_WITHOUT_FILE = _l("Choisissez le nouveau fichier, ou gardez le fichier reçu.")


def _forget(rows):
    """Delete these rows; their files go after commit unless a row still points to them."""
    rows = list(rows)
    with transaction():
        for row in rows:
            row.delete_instance()
            after_commit(lambda digest=row.sha256: signals.file_released.send(digest))
    return len(rows)


def forget_expired(now=None):
    """Forget every file kept for more than an hour (the scheduled cleanup; each upload
    form forgets the person's own in its space). Returns how many."""
    cutoff = (now or utcnow()) - LIFETIME
    return _forget(ReceivedFile.select().where(ReceivedFile.created_at < cutoff))


def find(access, form, token):
    """The file kept for this account, space and form under `token`, or None."""
    if access.user is None:
        return None
    mine = access.query(ReceivedFile).where(ReceivedFile.user == access.user.id)
    _forget(mine.where(ReceivedFile.created_at < utcnow() - LIFETIME))  # also every 10 min
    if not token or len(token) > 64:
        return None
    return mine.where((ReceivedFile.token == token) & (ReceivedFile.form == form)).first()


def receive(access, form, upload, accepted=None):
    """Store an uploaded file (a HEIC photo, or a photo over the limit, made to fit first)
    and keep it for this form, instead of the one kept before. Raises FileRefused; also
    for a type not in `accepted`."""
    stream, name = upload.stream, upload.filename or ""
    if photos.needs_fitting(stream, storage.MAX_SIZE):
        stream = io.BytesIO(photos.fit(stream, storage.MAX_SIZE))
        name = name.rsplit(".", 1)[0] + ".jpg"
    digest, size, mime = storage.store(stream)
    if accepted is not None and mime not in accepted:
        storage.release(digest)
        raise storage.FileRefused("type")
    with transaction():  # one kept file per account, space and form: the newest
        _forget(access.query(ReceivedFile).where(
            (ReceivedFile.user == access.user.id) & (ReceivedFile.form == form)))
        return ReceivedFile.create(
            token=secrets.token_urlsafe(32), user=access.user, space=access.space, form=form,
            sha256=digest, size=size, mime=mime, filename=storage.safe_filename(name, mime))


def used(received):
    """The kept file is now in the record (call inside the transaction that put it there)."""
    _forget([received])


def for_form(access, form_name, field, formdata, accepted=None, refusal=files.refusal):
    """(the file this POST brings or keeps, or None; the error for the file field, or None).
    A new file replaces the kept one; choosing "change" without a file is an error."""
    kept = find(access, form_name, formdata.get(TOKEN))
    upload = field.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            return receive(access, form_name, upload, accepted), None
        except storage.FileRefused as refused:
            return kept, refusal(refused.reason)
    if kept is not None and formdata.get(CHOICE) == "change":
        return kept, CHANGE_WITHOUT_FILE
    return kept, None


def describe(received):
    """What the page says of a kept file: its name, type and size."""
    return dict(name=received.filename, type=files.type_name(received.mime),
                size=files.human_size(received.size), token=received.token)


def limits():
    """What the browser checks before sending: any file up to the record's limit, a photo
    (made to fit here) up to what a request may carry."""
    request_max = current_app.config["MAX_CONTENT_LENGTH"]
    return dict(max_bytes=storage.MAX_SIZE, photo_bytes=request_max - 64 * 1024,
                photo_size=files.human_size(request_max))
