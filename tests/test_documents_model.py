"""The Document model: hide-by-default setting and who sees hidden or confidential documents."""

import datetime as dt
import io

from tests.helpers import make_space, make_user
from webapp import storage
from webapp.models.documents import Document, add_document, is_visible, visible_documents
from webapp.policy import grant_for


def _doc(space, **kw):
    digest, size, mime = storage.store(io.BytesIO(b"%PDF-1.4 test"))
    fields = dict(title="Compte rendu", category="CPT_REND", document_date=dt.date(2026, 1, 2),
                  sha256=digest, size=size, mime=mime, filename="cr.pdf")
    fields.update(kw)
    return add_document(space, **fields)


def test_new_documents_follow_the_hide_setting(db):
    space = make_space()
    assert _doc(space).hidden is False
    space.hide_new_documents = True
    space.save()
    assert _doc(space).hidden is True


def test_hidden_documents_are_kept_from_professionals_but_not_from_their_author(db):
    from webapp.models.spaces import CareRelation

    owner = make_user()
    space = make_space(owner=owner, state="active")
    pro, other_pro = make_user(role="professional"), make_user(role="professional")
    for p in (pro, other_pro):
        CareRelation.create(professional=p, space=space)
    mine = _doc(space, title="Le mien")
    hidden = _doc(space, title="Caché")
    hidden.hidden = True
    hidden.save()
    by_pro = _doc(space, title="Du médecin", author=pro, author_kind="professional")
    by_pro.hidden = True
    by_pro.save()
    owner_grant = grant_for(owner, space)
    assert {d.title for d in visible_documents(owner_grant)} == {"Le mien", "Caché",
                                                                "Du médecin"}
    assert {d.title for d in visible_documents(grant_for(pro, space))} == {"Le mien",
                                                                          "Du médecin"}
    other = grant_for(other_pro, space)
    assert {d.title for d in visible_documents(other)} == {"Le mien"}
    assert not is_visible(hidden, other) and is_visible(mine, other)
    assert Document.select().count() == 3


def test_new_document_is_announced_to_the_holders_without_its_content(app, db):
    import datetime as dt

    from tests.helpers import make_space, make_user
    from webapp.models.documents import add_document
    from webapp.models.notifications import Outbox

    owner, pro = make_user(), make_user("professional")
    space = make_space(owner)
    add_document(space, title="Compte rendu d'IRM", category="RADIO_SC",
                 document_date=dt.date(2026, 11, 1), sha256="0" * 64, size=10,
                 mime="application/pdf", filename="irm.pdf", author=pro,
                 author_kind="professional", author_name=pro.display_name,
                 source="professional")
    rows = list(Outbox.select().where((Outbox.recipient == owner)
                                      & (Outbox.channel == "email")))
    assert [r.template for r in rows] == ["new_document"]
    assert "IRM" not in rows[0].params and "IRM" not in rows[0].link
    # the citizen's own uploads and the demo seed are not announced to themselves
    add_document(space, title="Mon ordonnance", category="ORD_SOIN",
                 document_date=dt.date(2026, 11, 1), sha256="1" * 64, size=10,
                 mime="application/pdf", filename="o.pdf", author=owner)
    assert Outbox.select().where((Outbox.recipient == owner)
                                 & (Outbox.channel == "email")).count() == 1
