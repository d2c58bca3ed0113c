"""The health summary: chosen sections on one printable page, or as a PDF."""

from flask import Blueprint, g, make_response, request
from flask_babel import gettext as _

from webapp.db import utcnow
from webapp.guards import SPACE, on_space
from webapp.i18n import show_date, show_datetime
from webapp.record import pdf, summary
from webapp.rendering import render
from webapp.scopes import Scope

bp = Blueprint("summary", __name__)


def born(space, day):
    """ "Née le …" or "Né le …" as the person's sex (an INS trait) says; else "Né(e)"."""
    if space.sex == "F":
        return _("Née le %(date)s", date=day)
    if space.sex == "M":
        return _("Né le %(date)s", date=day)
    return _("Né(e) le %(date)s", date=day)


def _chosen():
    available = [code for code, _title in summary.choices(g.access.space)]
    asked = [c for c in request.args.getlist("rubriques") if c in available]
    return asked or available, available


@bp.route(SPACE + "/synthese")
@on_space(Scope.PROFILE_READ)
def index():
    """Choose the sections, read them, print the page or download the PDF."""
    chosen, _available = _chosen()
    return render("summary/index.html",
                  title=_("Synthèse de santé de %(name)s", name=g.access.space.display_name),
                  choices=summary.choices(g.access.space), chosen=chosen,
                  blocks=summary.build(g.access, chosen), generated=utcnow(),
                  born=born(g.access.space, show_date(g.access.space.birth_date)))


@bp.route(SPACE + "/synthese.pdf")
@on_space(Scope.PROFILE_READ)
def as_pdf():
    """The same summary as a PDF file."""
    chosen, _available = _chosen()
    g.access.note(detail="summary.pdf")  # the history words it "download of the summary"
    content = pdf.summary_pdf(
        g.access.space.display_name,
        born(g.access.space, show_date(g.access.space.birth_date)),
        _("Document créé le %(date)s depuis Mon espace santé.", date=show_datetime(utcnow())),
        summary.build(g.access, chosen))
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = "attachment; filename=synthese-sante.pdf"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
