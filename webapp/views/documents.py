"""Documents of the record: list with filters, detail, open and download, add, hide, edit,
delete, and the "hide new documents" setting."""

import io
import math

from flask import Blueprint, abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from peewee import fn

from webapp import navigation, policy, storage
from webapp.db import database, utcnow
from webapp.guards import on_space
from webapp.models.documents import Document, add_document, fold, is_visible, visible_documents
from webapp.policy import Scope
from webapp.record import categories, files
from webapp.record.document_forms import DocumentDetailsForm, FilterForm, UploadForm
from webapp.rendering import render

bp = Blueprint("documents", __name__)
PER_PAGE = 20


def _filtered(grant, form):
    query = visible_documents(grant)
    values = form.filters()
    if values.get("q"):
        query = query.where(Document.title_folded.contains(fold(values["q"])))
    if form.du.data and "du" in values:
        query = query.where(Document.document_date >= form.du.data)
    if form.au.data and "au" in values:
        query = query.where(Document.document_date <= form.au.data)
    counts = dict(query.select(Document.category, fn.COUNT(Document.id))
                  .group_by(Document.category).tuples())
    if values.get("categorie"):
        query = query.where(Document.category == values["categorie"])
    return query, counts, values


@bp.route("/documents")
@on_space(Scope.DOCUMENTS_READ)
def index():
    """Newest first, 20 a page; filters by category, date range and title."""
    form = FilterForm(request.args)
    form.validate()
    query, counts, values = _filtered(g.grant, form)
    total = query.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    documents = list(query.order_by(Document.document_date.desc(), Document.id.desc())
                     .paginate(page, PER_PAGE))
    return render(
        "documents/index.html", partial="documents/_list.html",
        title=_("Documents de %(name)s", name=g.space.display_name), form=form,
        documents=documents, total=total, page_number=page, pages=pages, counts=counts,
        values=values, labels=categories.CATEGORIES,
        url_for_page=lambda n: url_for("documents.index", page=n, **values))


def _document(doc_id):
    doc = Document.get_or_none((Document.id == doc_id) & (Document.space == g.space))
    if doc is None or not is_visible(doc, g.grant):
        abort(404)
    return doc


def _log_read(doc, action):
    policy.record(g.grant, g.space, Scope.DOCUMENTS_READ, target=f"document:{doc.id}:{action}")
    if doc.first_opened_at is None and g.grant.capacity in ("owner", "guardian"):
        doc.first_opened_at = utcnow()
        doc.save(only=[Document.first_opened_at])


@bp.route("/documents/<int:doc_id>")
@on_space(Scope.DOCUMENTS_READ)
def detail(doc_id):
    """A document's details, with links to open and download it."""
    doc = _document(doc_id)
    _log_read(doc, "detail")
    return render("documents/detail.html", title=doc.title, doc=doc,
                  can_open=doc.mime in storage.INLINE_TYPES,
                  can_manage=g.grant.allows(Scope.DOCUMENTS_MANAGE),
                  category=categories.label(doc.category), type_name=files.type_name(doc.mime),
                  size=files.human_size(doc.size))


def _send(doc, inline):
    if not storage.exists(doc.sha256):
        abort(404)
    inline = inline and doc.mime in storage.INLINE_TYPES
    name = doc.original_filename or f"document-{doc.id}"
    with storage.open_blob(doc.sha256) as blob:  # 5 MB at most: read whole, closed at once
        content = io.BytesIO(blob.read())
    response = send_file(content, mimetype=doc.mime,
                         as_attachment=not inline, download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/documents/<int:doc_id>/ouvrir")
@on_space(Scope.DOCUMENTS_READ)
def view(doc_id):
    """The file shown by the browser when it can (PDF, images, text), else downloaded."""
    doc = _document(doc_id)
    _log_read(doc, "view")
    return _send(doc, inline=True)


@bp.route("/documents/<int:doc_id>/telecharger")
@on_space(Scope.DOCUMENTS_READ)
def download(doc_id):
    """The file, always as a download."""
    doc = _document(doc_id)
    _log_read(doc, "download")
    return _send(doc, inline=False)


def save_upload(space, file_storage, author, author_kind, **details):
    """Store the file, then create its row (file first: never a row without its file)."""
    digest, size, mime = storage.store(file_storage.stream)
    with database.atomic():
        return add_document(space, sha256=digest, size=size, mime=mime,
                            filename=file_storage.filename, author=author,
                            author_kind=author_kind, **details)


@bp.route("/documents/ajouter", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_ADD)
def add():
    """Add a document: the type is checked from the content; errors keep what was typed."""
    form = UploadForm()
    if form.validate_on_submit():
        try:
            doc = save_upload(
                g.space, form.file.data, g.grant.actor, "citizen",
                title=form.title.data, category=form.category.data,
                document_date=form.document_date.data,
                author_name=g.grant.actor.display_name)
        except storage.FileRefused as refused:
            form.file.errors = [files.refusal(refused.reason)]
        else:
            policy.record(g.grant, g.space, Scope.DOCUMENTS_ADD, target=f"document:{doc.id}")
            flash(_("Le document « %(title)s » a été ajouté.", title=doc.title), "success")
            return redirect(url_for("documents.detail", doc_id=doc.id), 303)
    return render("documents/add.html", title=_("Ajouter un document"), form=form,
                  accept=files.ACCEPT)


@bp.route("/documents/<int:doc_id>/masquer", methods=["POST"])
@on_space(Scope.DOCUMENTS_MANAGE)
def toggle_hidden(doc_id):
    """Hide a document from professionals, or show it to them again."""
    doc = _document(doc_id)
    doc.hidden = not doc.hidden
    doc.save(only=[Document.hidden])
    policy.record(g.grant, g.space, Scope.DOCUMENTS_MANAGE,
                  target=f"document:{doc.id}:{'hide' if doc.hidden else 'show'}")
    message = (_("Le document est maintenant masqué aux professionnels de santé.")
               if doc.hidden else _("Le document est de nouveau visible par les "
                                    "professionnels de santé qui vous suivent."))
    flash(message, "success")
    return redirect(url_for("documents.detail", doc_id=doc.id), 303)


def _own_document(doc_id):
    doc = _document(doc_id)
    if not doc.citizen_owned:
        abort(404)
    return doc


@bp.route("/documents/<int:doc_id>/modifier", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_MANAGE)
def edit(doc_id):
    """Change the title, date or category of a document the citizen added."""
    doc = _own_document(doc_id)
    form = DocumentDetailsForm(obj=doc)
    if form.validate_on_submit():
        doc.title, doc.document_date, doc.category = (
            form.title.data.strip(), form.document_date.data, form.category.data)
        doc.save()
        policy.record(g.grant, g.space, Scope.DOCUMENTS_MANAGE, target=f"document:{doc.id}:edit")
        flash(_("Le document a été modifié."), "success")
        return redirect(url_for("documents.detail", doc_id=doc.id), 303)
    return render("documents/edit.html", title=_("Modifier le document"), form=form, doc=doc)


@bp.route("/documents/<int:doc_id>/supprimer", methods=["GET", "POST"])
@on_space(Scope.DOCUMENTS_MANAGE)
def delete(doc_id):
    """Confirm, then delete a document the citizen added."""
    doc = _own_document(doc_id)
    if request.method == "POST":
        digest, title = doc.sha256, doc.title
        doc.delete_instance()
        policy.record(g.grant, g.space, Scope.DOCUMENTS_MANAGE,
                      target=f"document:{doc_id}:delete")
        _forget_file(digest)
        flash(_("Le document « %(title)s » a été supprimé.", title=title), "success")
        return redirect(url_for("documents.index"), 303)
    return render("documents/delete.html", title=_("Supprimer ce document ?"), doc=doc)


def _forget_file(digest):
    """Remove a stored file nothing points to any more."""
    from webapp.models.messages import Attachment

    if Document.select().where(Document.sha256 == digest).exists() or \
            Attachment.select().where(Attachment.sha256 == digest).exists():
        return
    storage.path_for(digest).unlink(missing_ok=True)


@bp.route("/parametres/documents", methods=["GET", "POST"])
@on_space(Scope.SETTINGS_READ)
def settings():
    """Whether new documents start hidden from professionals."""
    can_change = g.grant.allows(Scope.DOCUMENTS_MANAGE)
    if request.method == "POST":
        if not can_change:
            policy.record(g.grant, g.space, Scope.DOCUMENTS_MANAGE, allowed=False)
            abort(404)
        g.space.hide_new_documents = request.form.get("hide_new") == "1"
        g.space.save(only=["hide_new_documents"])
        policy.record(g.grant, g.space, Scope.DOCUMENTS_MANAGE,
                      target=f"setting:hide_new_documents={int(g.space.hide_new_documents)}")
        flash(_("Votre choix a été enregistré."), "success")
        return redirect(url_for("documents.settings"), 303)
    return render("documents/settings.html", title=_("Documents masqués par défaut"),
                  can_change=can_change)


def _home_panel(grant):
    if not grant.allows(Scope.DOCUMENTS_READ):
        return None
    new = visible_documents(grant).where(Document.first_opened_at.is_null()).count()
    text = (ngettext("%(num)d nouveau document", "%(num)d nouveaux documents", new)
            if new else _("Aucun nouveau document"))
    return dict(title=_("Documents"), href=url_for("documents.index"), text=text)


def init_app(app):
    """Menu entry, home card and settings page."""
    from webapp.views import home
    from webapp.views import settings as settings_hub

    navigation.add(20, "documents.index", _l("Documents"), scope=Scope.DOCUMENTS_READ)
    home.HOME_PANELS.append(_home_panel)
    settings_hub.add_section(
        30, "documents.settings", _l("Documents masqués par défaut"),
        _l("Choisir si les nouveaux documents sont masqués aux professionnels de santé."))
