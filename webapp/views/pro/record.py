"""A patient's pages for the professional who follows them, under the patient's address:
the patient (identity and what to do), the record as the profession may see it, deposit
a document (or a new version), show a withheld one, propose an appointment."""

import datetime as dt

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import to_utc

from webapp.agenda import proposals
from webapp.guards import SPACE, on_space
from webapp.models.documents import Document
from webapp.pro import ins, matrix
from webapp.pro.accounts import practice_of
from webapp.pro.forms import DepositForm, ProposeForm
from webapp.record import categories, files, types, uploads
from webapp.record import documents as actions
from webapp.rendering import render
from webapp.scopes import PROFESSIONALS, Scope

bp = Blueprint("pro_record", __name__)
RECENT = 5


def _mine(query):
    return query.where((Document.author == g.access.actor.id)
                       & Document.superseded_at.is_null())


@bp.route(SPACE + "/pro/")
@on_space(Scope.SPACE_VIEW, PROFESSIONALS)
def patient():
    """The patient: identity as the INS says, what to do, my proposals and deposits."""
    access = g.access
    space = access.space
    mine = []
    if access.allows(Scope.DOCUMENTS_READ):
        mine = list(_mine(access.query(Document)).order_by(Document.created_at.desc())
                    .limit(RECENT))
    return render("pro/patient.html", title=space.display_name, space=space, ins=ins,
                  proposals=list(proposals.proposed_by_me(access))
                  if access.allows(Scope.AGENDA_WRITE) else [],
                  mine=mine, recent=RECENT, emergency=access.grant.emergency,
                  labels=categories.CATEGORIES)


@bp.route(SPACE + "/pro/dossier")
@on_space(Scope.DOCUMENTS_READ, PROFESSIONALS)
def record():
    """The documents the profession may read, by category; the others are named."""
    access = g.access
    readable = matrix.readable(access.actor.profession)
    docs = list(access.query(Document).where(Document.superseded_at.is_null())
                .order_by(Document.document_date.desc(), Document.id.desc()))
    groups = [(code, label, [d for d in docs if d.category == code])
              for code, label in categories.choices()]
    return render("pro/record.html", title=_("Dossier de %(name)s",
                                             name=access.space.display_name),
                  groups=[g_ for g_ in groups if g_[2]], types=types,
                  closed=[label for code, label in categories.choices()
                          if code not in readable])


def _replaced():
    """The document this deposit replaces (?remplace=id): one of mine, still current."""
    ident = request.args.get("remplace", type=int)
    if ident is None:
        return None
    doc = g.access.get(Document, ident)
    if doc.author_id != g.access.actor.id or doc.superseded_at is not None:
        return None
    return doc


@bp.route(SPACE + "/pro/documents/deposer", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_ADD, PROFESSIONALS)
def deposit():
    """Deposit a PDF or an image; optionally kept from the patient until the consultation."""
    access, old = g.access, _replaced()
    writable = matrix.writable(access.actor.profession)
    defaults = dict(title=old.title, loinc=old.loinc, category=old.category) if old else {}
    form = DepositForm(writable=writable, **defaults)
    received, file_error = None, None
    if request.method == "POST":  # the file is kept when another field is in error
        received, file_error = uploads.for_form(
            access, "pro_record.deposit", form.file, request.form, types.DEPOSIT_TYPES,
            refusal=_refusal)
    form.received = received
    if form.validate_on_submit() and file_error is None:
        release = form.release_on.data
        doc = actions.deposit_received(
            access, received, title=form.title.data, category=form.category.data,
            loinc=form.loinc.data, document_date=form.document_date.data,
            withheld=form.withheld.data, replaces=old,
            release_at=to_utc(dt.datetime.combine(release, dt.time())) if release else None)
        flash(_("Le document « %(title)s » est déposé dans le dossier de %(name)s.",
                title=doc.title, name=access.space.display_name), "success")
        return redirect(url_for("pro_record.patient"), 303)
    if file_error is not None:
        form.file.errors = [file_error]
    return render("pro/deposit.html", title=_("Déposer un document") if old is None
                  else _("Déposer une nouvelle version"), form=form, old=old,
                  accept=types.DEPOSIT_ACCEPT, writable=bool(writable),
                  received=received and uploads.describe(received), limits=uploads.limits())


def _refusal(reason):
    return (_("Déposez un PDF ou une image JPEG, PNG, TIFF ou HEIC.") if reason == "type"
            else files.refusal(reason))


@bp.route(SPACE + "/pro/documents/<int:doc_id>/montrer", methods=["POST"])
@on_space(Scope.DOCUMENTS_ADD, PROFESSIONALS)
def release(doc_id):
    """Show a document I kept from the patient, after the announcement consultation."""
    doc = g.access.get(Document, doc_id)
    if doc.author_id == g.access.actor.id and doc.withheld:
        actions.release(g.access, doc)
        flash(_("Le patient voit maintenant « %(title)s ».", title=doc.title), "success")
    return redirect(url_for("pro_record.patient") + "#mes-documents", 303)


@bp.route(SPACE + "/pro/rendez-vous", methods=["GET", "POST"])
@on_space(Scope.AGENDA_WRITE, PROFESSIONALS)
def propose():
    """Propose an appointment; it is in the patient's agenda as proposed."""
    access = g.access
    place = practice_of(access.actor)
    form = ProposeForm(address=place.address if place else "")
    if form.validate_on_submit():
        proposals.propose(access, title=form.title.data, day=form.day.data,
                          time=form.time.data, minutes=form.minutes.data,
                          address=form.address.data, note=form.note.data)
        flash(_("Le rendez-vous est proposé à %(name)s. Sa réponse s'affichera ici.",
                name=access.space.display_name), "success")
        return redirect(url_for("pro_record.patient") + "#propositions", 303)
    return render("pro/propose.html", title=_("Proposer un rendez-vous"), form=form)
