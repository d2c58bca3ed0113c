"""Distinct citizens for the load benchmark: each with a space, documents (one stored
file), an appointment and a conversation with a professional; written to a JSON file
that the locustfile reads (one citizen per virtual user).

    DATABASE_URL=... python -m benchmarks.load.population --citizens 120 --out users.json

It uses the app's configuration from the environment (the same as the server's), adds
to what is there, and prints nothing but the file name.
"""

import argparse
import datetime as dt
import io
import json
import os
import sys

PASSWORD = "load-Espace-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def populate(citizens, documents, run):
    """Create the citizens; return [{email, ref, doc, conversation}]."""
    from webapp import storage
    from webapp.db import database, utcnow
    from webapp.models.accounts import User
    from webapp.models.agenda import Appointment
    from webapp.models.documents import Document
    from webapp.models.messages import Conversation, Message
    from webapp.models.spaces import CareRelation, Space
    from webapp.security import hash_password

    digest, size, mime = storage.store(io.BytesIO(PDF))
    password_hash, now = hash_password(PASSWORD), utcnow()
    doctor = User.create(email=f"load-doctor-{run}@example.org", password_hash=password_hash,
                         role="professional", first_name="Paul", last_name="Charge",
                         rpps=f"9{run[-10:]:0>10}", profession="medecin")
    people = []
    for i in range(citizens):
        with database.atomic():
            user = User.create(email=f"load-{run}-{i}@example.org", role="citizen",
                               password_hash=password_hash, first_name="Camille",
                               last_name=f"Charge{i}", email_verified_at=now)
            space = Space.create(owner=user, state="active", first_name="Camille",
                                 last_name=f"Charge{i}", birth_date=dt.date(1980, 1, 1),
                                 nir=f"2800175{i:06d}00"[:15], notified_at=now)
            CareRelation.create(professional=doctor, space=space)
            Document.insert_many([dict(
                space=space, title=f"Compte rendu {d}", title_folded=f"compte rendu {d}",
                category="CPT_REND", document_date=dt.date(2025, 1, 1) + dt.timedelta(days=d),
                author_kind="professional", author_name="Dr Paul CHARGE", sha256=digest,
                size=size, mime=mime, original_filename="cr.pdf", source="seed")
                for d in range(documents)]).execute()
            doc = Document.select().where(Document.space == space).first()
            Appointment.create(space=space, kind="consultation", title="Consultation",
                               starts_at=now + dt.timedelta(days=7),
                               ends_at=now + dt.timedelta(days=7, minutes=30))
            conversation = Conversation.create(space=space, professional=doctor,
                                               subject="Vos résultats", last_message_at=now)
            Message.create(conversation=conversation, author=doctor,
                           author_capacity="professional", body="Vos résultats sont arrivés.")
        people.append(dict(email=user.email, ref=space.ref, doc=doc.id,
                           conversation=conversation.id))
    return people


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=120)
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--out", default="users.json")
    args = parser.parse_args()
    sys.path.insert(0, os.getcwd())
    from webapp import create_app
    from webapp.db import database
    from webapp.migrations import create_schema

    app = create_app()
    with app.app_context(), database.connection_context():
        create_schema()
        people = populate(args.citizens, args.documents, os.urandom(4).hex())
    with open(args.out, "w") as out:
        json.dump(dict(password=PASSWORD, citizens=people), out)
    print(args.out)


if __name__ == "__main__":
    main()
