"""The Document model: hide-by-default setting and who sees hidden or confidential documents."""

import datetime as dt

from tests.helpers import make_document, make_space, make_user
from webapp.models.documents import Document
from webapp.models.notifications import Outbox
from webapp.models.spaces import CareRelation
from webapp.policy import can_see, grant_for, visible


def _titles(grant):
    return {d.title for d in visible(Document, grant)}


def test_new_documents_follow_the_hide_setting(db):
    space = make_space()
    assert make_document(space, announce=True).hidden is False
    space.hide_new_documents = True
    space.save()
    assert make_document(space, announce=True).hidden is True


def test_hidden_documents_are_kept_from_professionals_but_not_from_their_author(db):
    owner = make_user()
    space = make_space(owner=owner, state="active")
    pro, other_pro = make_user(role="professional"), make_user(role="professional")
    for p in (pro, other_pro):
        CareRelation.create(professional=p, space=space)
    mine = make_document(space, title="Le mien")
    hidden = make_document(space, title="Caché", hidden=True)
    make_document(space, title="Du médecin", author=pro, author_kind="professional",
                  hidden=True)
    assert _titles(grant_for(owner, space)) == {"Le mien", "Caché", "Du médecin"}
    assert _titles(grant_for(pro, space)) == {"Le mien", "Du médecin"}
    other = grant_for(other_pro, space)
    assert _titles(other) == {"Le mien"}
    assert not can_see(hidden, other) and can_see(mine, other)
    assert Document.select().count() == 3


def _emails(owner):
    return Outbox.select().where((Outbox.recipient == owner) & (Outbox.channel == "email"))


def test_new_document_is_announced_to_the_holders_without_its_content(app, db):
    owner, pro = make_user(), make_user("professional")
    space = make_space(owner)
    make_document(space, title="Compte rendu d'IRM", category="RADIO_SC",
                  day=dt.date(2026, 11, 1), filename="irm.pdf", author=pro,
                  author_kind="professional", author_name=pro.display_name,
                  source="professional", announce=True)
    rows = list(_emails(owner))
    assert [r.template for r in rows] == ["new_document"]
    assert "IRM" not in rows[0].params and "IRM" not in rows[0].link
    # the citizen's own uploads and the demo seed are not announced to themselves
    make_document(space, title="Mon ordonnance", category="ORD_SOIN", day=dt.date(2026, 11, 1),
                  filename="o.pdf", author=owner, announce=True)
    make_document(space, title="Démo", source="seed", announce=True)
    assert _emails(owner).count() == 1
