"""The health summary: chosen sections on one printable page, or as a PDF."""

from flask import Blueprint, g, make_response, request
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from webapp import policy
from webapp.db import utcnow
from webapp.guards import on_space
from webapp.policy import Scope
from webapp.record import pdf, summary
from webapp.rendering import render
from webapp.views.profile import _prepare

bp = Blueprint("summary", __name__)


def _chosen():
    available = [code for code, _title in summary.choices(g.space)]
    asked = [c for c in request.args.getlist("rubriques") if c in available]
    return asked or available, available


@bp.route("/synthese")
@on_space(Scope.PROFILE_READ)
def index():
    """Choose the sections, read them, print the page or download the PDF."""
    chosen, _available = _chosen()
    return render("summary/index.html",
                  title=_("Synthèse de santé de %(name)s", name=g.space.display_name),
                  choices=summary.choices(g.space), chosen=chosen,
                  blocks=summary.build(g.space, chosen, _prepare), generated=utcnow())


@bp.route("/synthese.pdf")
@on_space(Scope.PROFILE_READ)
def as_pdf():
    """The same summary as a PDF file."""
    chosen, _available = _chosen()
    policy.record(g.grant, g.space, Scope.PROFILE_READ, target="summary:pdf")
    content = pdf.summary_pdf(
        g.space.display_name,
        _("Né(e) le %(date)s", date=format_date(g.space.birth_date, "long")),
        _("Document créé le %(date)s depuis Mon espace santé.",
          date=format_datetime(utcnow(), "medium")),
        summary.build(g.space, chosen, _prepare))
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = "attachment; filename=synthese-sante.pdf"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
