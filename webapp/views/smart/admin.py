"""The administrators' registry of API clients: catalogue apps and professional software
(name, publisher, description, theme, data asked for, redirect URIs, status), and the
citizens' reports. Suspending or dereferencing stops the client's tokens at once."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from webapp.forms import Form
from webapp.guards import roles
from webapp.models.smart import CLIENT_KINDS, SmartClient, SmartReport
from webapp.rendering import render
from webapp.smart import clients, registry, reports
from webapp.smart.forms import ClientForm, NewClientForm, StatusForm

bp = Blueprint("smart_admin", __name__)


def _client(client_id):
    client = SmartClient.get_or_none(SmartClient.id == client_id)
    if client is None:
        abort(404)
    return client


@bp.route("/admin/applications")
@roles("admin")
def index():
    """Every client with its kind and status, and the reports not handled yet."""
    return render("smart/admin_list.html", title=_("Applications et logiciels"),
                  rows=registry.listing(), reports=list(reports.open_reports()), form=Form())


@bp.route("/admin/applications/nouvelle", methods=["GET", "POST"])
@roles("admin")
def new():
    """Reference an app of the catalogue or a professional software."""
    kind = request.args.get("type", "app")
    if kind not in CLIENT_KINDS:
        abort(404)
    form = NewClientForm(kind)
    if form.validate_on_submit():
        client = registry.create(kind, form)
        flash(_("%(name)s est référencé. Identifiant client : %(id)s.", name=client.name,
                id=client.client_id), "success")
        if client.issued_secret:
            return render("smart/admin_secret.html", title=_("Secret du client"),
                          client=client, secret=client.issued_secret)
        return redirect(url_for("smart_admin.edit", client_id=client.id), 303)
    return render("smart/admin_form.html", title=_("Référencer une application") if kind == "app"
                  else _("Référencer un logiciel professionnel"), form=form, kind=kind,
                  client=None, action=url_for("smart_admin.new", type=kind))


@bp.route("/admin/applications/<int:client_id>", methods=["GET", "POST"])
@roles("admin")
def edit(client_id):
    """A client's page: what it shows and asks for, its status, its reports."""
    client = _client(client_id)
    form = ClientForm(client.kind)
    if form.validate_on_submit():
        registry.update(client, form)
        flash(_("Les informations de %(name)s sont enregistrées.", name=client.name), "success")
        return redirect(url_for("smart_admin.edit", client_id=client.id), 303)
    if request.method == "GET":
        registry.fill(form, client)
    status_form = StatusForm(data={"status": client.status})
    return render("smart/admin_form.html", title=client.name, form=form, kind=client.kind,
                  client=client, status_form=status_form,
                  reports=list(reports.of_client(client)),
                  action=url_for("smart_admin.edit", client_id=client.id))


@bp.route("/admin/applications/<int:client_id>/statut", methods=["POST"])
@roles("admin")
def status(client_id):
    """Put online, suspend or dereference: the last two stop every token at once."""
    client = _client(client_id)
    form = StatusForm()
    if form.validate_on_submit():
        clients.set_status(client, form.status.data)
        flash(_("%(name)s : %(status)s.", name=client.name, status=client.status_label),
              "success")
    return redirect(url_for("smart_admin.edit", client_id=client.id), 303)


@bp.route("/admin/signalements-applications/<int:report_id>/traite", methods=["POST"])
@roles("admin")
def handled(report_id):
    """Mark a citizen's report as dealt with."""
    row = SmartReport.get_or_none(SmartReport.id == report_id)
    if row is None:
        abort(404)
    if Form().validate_on_submit():
        reports.handled(row)
        flash(_("Le signalement est marqué comme traité."), "success")
    return redirect(url_for("smart_admin.index"), 303)
