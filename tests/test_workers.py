"""Background work drained by several workers at once (send-outbox and build-exports on
more than one machine): each worker claims its own rows (FOR UPDATE SKIP LOCKED on
PostgreSQL, then a lease or a compare-and-set), so nothing is sent or built twice."""

import threading
import time

from tests.helpers import make_document, make_space, make_user
from webapp import mail
from webapp.accounts import export
from webapp.db import database, utcnow
from webapp.models.notifications import Outbox
from webapp.models.privacy import ExportJob


def _at_once(app, work, workers):
    """Run work() in that many threads started together; their results."""
    results, start = [], threading.Barrier(workers)

    def run():
        with app.app_context(), database.connection_context():
            start.wait()
            results.append(work())

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_four_senders_at_once_send_each_email_once(app, db, monkeypatch):
    user = make_user()
    for _ in range(30):
        Outbox.create(recipient=user, template="new_message", link="/messages")
    slow = mail._Memory.send
    monkeypatch.setattr(mail._Memory, "send", lambda self, m: time.sleep(0.005) or slow(self, m))
    results = _at_once(app, mail.send_due, 4)
    assert sum(sent for sent, _failed in results) == 30
    assert len(app.extensions["mail_sent"]) == 30
    assert {row.attempts for row in Outbox.select()} == {1}
    assert not Outbox.select().where(Outbox.sent_at.is_null()).exists()


def test_a_sender_that_died_leaves_its_emails_to_the_next_after_the_lease(app, db):
    user = make_user()
    row = Outbox.create(recipient=user, template="new_message", link="/messages")
    now = utcnow()
    assert mail.claim(now, 10, mail.SEND_LEASE) == [row.id]  # then it dies, sending nothing
    assert mail.send_due(now) == (0, 0)  # another sender passes over it
    assert mail.send_due(now + mail.SEND_LEASE) == (1, 0)  # and takes it after the lease
    assert len(app.extensions["mail_sent"]) == 1


def test_three_builders_at_once_build_each_export_once(app, db, monkeypatch):
    owner = make_user()
    space = make_space(owner)
    make_document(space, title="Compte rendu", content=b"%PDF-1.4 cr", filename="cr.pdf")
    jobs = [ExportJob.create(space=space, requested_by=owner) for _ in range(4)]
    slow = export.write_zip
    monkeypatch.setattr(export, "write_zip", lambda *a: time.sleep(0.02) or slow(*a))
    results = _at_once(app, export.build_pending, 3)
    assert sum(results) == 4
    built = [ExportJob.get_by_id(job.id) for job in jobs]
    assert {job.state for job in built} == {"ready"}
    assert len({job.file_path for job in built}) == 4
    assert len(list(export.export_dir().glob("export-*.zip"))) == 4  # no archive built twice


def test_a_job_taken_by_the_request_thread_is_not_built_again(app, db):
    owner = make_user()
    job = ExportJob.create(space=make_space(owner), requested_by=owner)
    assert export.claim(job.id) and not export.claim(job.id)
    assert export.build_pending() == 0  # the command leaves it to its builder
