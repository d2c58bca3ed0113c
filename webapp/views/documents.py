"""Documents of the record: list with filters, detail, open and download, add, hide, edit,
delete, and the "hide new documents" setting."""

import datetime as dt
import io

from flask import Blueprint, abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, to_user_timezone

from webapp import policy, seek, storage
from webapp.db import utcnow
from webapp.guards import SPACE, on_space
from webapp.models.documents import Document
from webapp.record import categories, files, types, uploads
from webapp.record import documents as actions
from webapp.record.document_forms import DocumentDetailsForm, FilterForm, UploadForm
from webapp.rendering import render
from webapp.scopes import HOLDER_AND_HELPERS, Scope

bp = Blueprint("documents", __name__)
PER_PAGE = 20


@bp.route(SPACE + "/documents")
@on_space(Scope.DOCUMENTS_READ)
def index():
    """Newest first, 20 a page (keyset pages: webapp.seek); filters by category, date range
    and title."""
    form = FilterForm(request.args)
    form.validate()
    values = form.filters()
    query, counts = actions.filtered(
        g.access, values, start=form.du.data if "du" in values else None,
        end=form.au.data if "au" in values else None)
    # the counts per category are taken before the category filter: no second count
    total = counts.get(values["categorie"], 0) if values.get("categorie") \
        else sum(counts.values())
    found = seek.page(query, (Document.document_date, Document.id),
                      lambda doc: (doc.document_date, doc.id),
                      after=seek.decode(request.args.get("apres"), dt.date, int),
                      before=seek.decode(request.args.get("avant"), dt.date, int),
                      size=PER_PAGE)

    def url_of(key, side):
        return key and url_for("documents.index", **{side: seek.encode(*key)}, **values)

    return render(
        "documents/index.html", partial="documents/_list.html",
        title=_("Documents de %(name)s", name=g.access.space.display_name), form=form,
        documents=found.rows, total=total, counts=counts, values=values,
        labels=categories.CATEGORIES, previous_url=url_of(found.previous, "avant"),
        next_url=url_of(found.next, "apres"),
        waiting=list(policy.withheld(g.access.grant))
        if g.access.capacity in HOLDER_AND_HELPERS else [])


@bp.route(SPACE + "/documents/<int:doc_id>")
@on_space(Scope.DOCUMENTS_READ)
def detail(doc_id):
    """A document's details, with links to open and download it."""
    doc = g.access.get(Document, doc_id)
    actions.opened(g.access, doc, "detail")
    return render("documents/detail.html", title=doc.title, doc=doc,
                  can_open=doc.mime in storage.INLINE_TYPES,
                  can_manage=g.access.allows(Scope.DOCUMENTS_MANAGE),
                  category=categories.label(doc.category), type_name=files.type_name(doc.mime),
                  size=files.human_size(doc.size), versions=actions.versions(g.access, doc),
                  newer=actions.newer_version(g.access, doc), loinc=types.label(doc.loinc),
                  is_author=doc.author_id == getattr(g.access.actor, "id", None))


def _send(doc, inline):
    if not storage.exists(doc.sha256):
        abort(404)
    inline = inline and doc.mime in storage.INLINE_TYPES
    name = storage.safe_filename(doc.original_filename, doc.mime, f"document-{doc.id}")
    with storage.open_blob(doc.sha256) as blob:  # 5 MB at most: read whole, closed at once
        content = io.BytesIO(blob.read())
    response = send_file(content, mimetype=doc.mime,
                         as_attachment=not inline, download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route(SPACE + "/documents/<int:doc_id>/ouvrir")
@on_space(Scope.DOCUMENTS_READ)
def view(doc_id):
    """The file shown by the browser when it can (PDF, images, text), else downloaded."""
    doc = g.access.get(Document, doc_id)
    actions.opened(g.access, doc, "view")
    return _send(doc, inline=True)


@bp.route(SPACE + "/documents/<int:doc_id>/telecharger")
@on_space(Scope.DOCUMENTS_READ)
def download(doc_id):
    """The file, always as a download."""
    doc = g.access.get(Document, doc_id)
    actions.opened(g.access, doc, "download")
    return _send(doc, inline=False)


@bp.route(SPACE + "/documents/ajouter", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_ADD, HOLDER_AND_HELPERS)  # professionals deposit (pro_record)
def add():
    """Add a document: the type is checked from the content; errors keep what was typed,
    and the file received (phone photos are made to fit, HEIC ones turned into JPEG)."""
    form = UploadForm()
    received, file_error = None, None
    if request.method == "GET":  # most documents are added the day they are received
        form.document_date.data = to_user_timezone(utcnow()).date()
    else:
        received, file_error = uploads.for_form(g.access, "documents.add", form.file,
                                                request.form)
    form.received = received
    if form.validate_on_submit() and file_error is None:
        doc = actions.add_received(g.access, received, title=form.title.data,
                                   category=form.category.data,
                                   document_date=form.document_date.data)
        flash(_("Le document « %(title)s » a été ajouté.", title=doc.title), "success")
        return redirect(url_for("documents.detail", doc_id=doc.id), 303)
    if file_error is not None:
        form.file.errors = [file_error]
    return render("documents/add.html", title=_("Ajouter un document"), form=form,
                  accept=files.ACCEPT, received=received and uploads.describe(received),
                  limits=uploads.limits())


@bp.route(SPACE + "/documents/<int:doc_id>/masquer", methods=["POST"])
@on_space(Scope.DOCUMENTS_MANAGE)
def toggle_hidden(doc_id):
    """Hide a document from professionals, or show it to them again."""
    doc = g.access.get(Document, doc_id)
    actions.set_hidden(g.access, doc, not doc.hidden)
    message = (_("Le document est maintenant masqué aux professionnels de santé.")
               if doc.hidden else _("Le document est de nouveau visible par les "
                                    "professionnels de santé qui vous suivent."))
    flash(message, "success")
    return redirect(url_for("documents.detail", doc_id=doc.id), 303)


def _own_document(doc_id):
    doc = g.access.get(Document, doc_id)
    if not doc.citizen_owned:
        abort(404)
    return doc


@bp.route(SPACE + "/documents/<int:doc_id>/modifier", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_MANAGE)
def edit(doc_id):
    """Change the title, date or category of a document the citizen added."""
    doc = _own_document(doc_id)
    form = DocumentDetailsForm(obj=doc)
    if form.validate_on_submit():
        actions.edit_document(g.access, doc, title=form.title.data,
                              category=form.category.data, document_date=form.document_date.data)
        flash(_("Le document a été modifié."), "success")
        return redirect(url_for("documents.detail", doc_id=doc.id), 303)
    return render("documents/edit.html", title=_("Modifier le document"), form=form, doc=doc)


@bp.route(SPACE + "/documents/<int:doc_id>/supprimer", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_MANAGE)
def delete(doc_id):
    """Confirm, then delete a document the citizen added."""
    doc = _own_document(doc_id)
    if request.method == "POST":
        actions.delete_document(g.access, doc)
        flash(_("Le document « %(title)s » a été supprimé.", title=doc.title), "success")
        return redirect(url_for("documents.index"), 303)
    return render("documents/delete.html", title=_("Supprimer ce document ?"), doc=doc)


@bp.route(SPACE + "/parametres/documents", methods=["GET", "POST"])
@on_space(Scope.SETTINGS_READ)
def settings():
    """Whether new documents start hidden from professionals."""
    can_change = g.access.allows(Scope.DOCUMENTS_MANAGE)
    if request.method == "POST":
        g.access.require(Scope.DOCUMENTS_MANAGE)
        actions.set_hide_new(g.access, request.form.get("hide_new") == "1")
        flash(_("Votre choix a été enregistré."), "success")
        return redirect(url_for("documents.settings"), 303)
    return render("documents/settings.html", title=_("Documents masqués par défaut"),
                  can_change=can_change)


def home_panel(access):
    """Home card: how many documents are new."""
    if not access.allows(Scope.DOCUMENTS_READ):
        return None
    new = actions.new_count(access)
    text = (ngettext("%(num)d nouveau document", "%(num)d nouveaux documents", new)
            if new else _("Aucun nouveau document"))
    return dict(title=_("Documents"), href=url_for("documents.index"), text=text)
