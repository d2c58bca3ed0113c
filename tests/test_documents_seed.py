"""The demo record: Camille, Léo and Jean get the data the issue asks for, once."""

from webapp import seed, storage
from webapp.models.documents import Document
from webapp.models.measurements import Measurement
from webapp.models.profile import ProfileEntry, SectionStatus
from webapp.record.categories import CATEGORIES
from webapp.record.profile_sections import SECTIONS


def test_demo_record(demo):
    camille, leo, jean = demo.spaces["camille"], demo.spaces["leo"], demo.spaces["jean"]
    docs = list(Document.select().where(Document.space == camille))
    assert len(docs) >= 30
    assert {d.category for d in docs} == set(CATEGORIES)
    assert any(d.hidden for d in docs) and any(d.is_new for d in docs)
    assert {d.author_name for d in docs} >= {"Dr Paul BERNARD", "Laboratoire Biolab"}
    assert all(storage.exists(d.sha256) for d in docs)
    assert {d.mime for d in docs} == {"application/pdf", "image/png", "text/plain"}
    sections = {e.section for e in ProfileEntry.select().where(ProfileEntry.space == camille)}
    assert sections == {s.code for s in SECTIONS}
    camille_measures = Measurement.select().where(Measurement.space == camille)
    assert camille_measures.count() >= 40
    days = [m.measured_on for m in camille_measures]
    assert (max(days) - min(days)).days >= 700
    leo_docs = Document.select().where(Document.space == leo)
    assert leo_docs.where(Document.confidential).count() == 1
    assert ProfileEntry.select().where((ProfileEntry.space == leo)
                                       & (ProfileEntry.section == "vaccinations")).count() >= 2
    assert {m.kind for m in Measurement.select().where(Measurement.space == leo)} == {
        "taille", "poids", "perimetre-cranien"}
    assert Document.select().where(Document.space == jean).count() >= 3
    assert SectionStatus.select().where(SectionStatus.space == jean).exists()
    before = (Document.select().count(), ProfileEntry.select().count(),
              Measurement.select().count())
    seed.run()  # idempotent
    assert before == (Document.select().count(), ProfileEntry.select().count(),
                      Measurement.select().count())
