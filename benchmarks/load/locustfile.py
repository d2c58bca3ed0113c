"""The citizen mix of the load benchmark: each virtual user is a distinct citizen
(from the file of benchmarks/load/population.py, LOAD_USERS), signs in once, then
browses as people do: home, documents, a document and its download, messages, a
conversation, agenda, history, and now and then a reply.

    locust -f benchmarks/load/locustfile.py --host http://127.0.0.1:8000 \
        --headless -u 100 -r 10 -t 5m --csv report

Requests are named by page (not by address), so the report has one line per page.
Between two pages a user waits 1 to 3 s (LOAD_WAIT_MIN, LOAD_WAIT_MAX): 100 users then
ask about 60 pages a second, the rate of the issue's own measurement (51 requests/s at
100 users); 0.5 to 1.5 s doubles it. Use --reset-stats with a gentle spawn rate (each
user's sign-in hashes a password: 0.2 s of CPU), so that the report covers the users
browsing, not the crowd signing in (benchmarks/servers.py does both).
"""

import itertools
import json
import os
import re
import threading

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_people = None
_next = itertools.count()
_lock = threading.Lock()


def _citizen():
    """The next citizen of the file, each virtual user its own (wrapping round)."""
    global _people
    with _lock:
        if _people is None:
            with open(os.environ.get("LOAD_USERS", "users.json")) as f:
                _people = json.load(f)
        people = _people["citizens"]
        return _people["password"], people[next(_next) % len(people)]


class Citizen(FastHttpUser):
    """One citizen in her space. FastHttpUser (geventhttpclient) rather than HttpUser
    (requests): the load generator runs on the same two cores as the server and the
    database, and costs several times less CPU per request this way."""

    wait_time = between(float(os.environ.get("LOAD_WAIT_MIN", "1")),
                        float(os.environ.get("LOAD_WAIT_MAX", "3")))

    def on_start(self):
        password, self.person = _citizen()
        self.space = f"/espaces/{self.person['ref']}"
        page = self.client.get("/connexion", name="sign-in form")
        token = CSRF.search(page.text).group(1)
        with self.client.post("/connexion", name="sign in", allow_redirects=False,
                              data={"email": self.person["email"], "password": password,
                                    "csrf_token": token}, catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"sign-in answered {response.status_code}")

    def _get(self, path, name):
        self.client.get(self.space + path, name=name)

    @task(4)
    def home(self):
        self._get("/", "home")

    @task(4)
    def documents(self):
        self._get("/documents", "documents")

    @task(3)
    def document(self):
        self._get(f"/documents/{self.person['doc']}", "document")
        self._get(f"/documents/{self.person['doc']}/telecharger", "download")

    @task(2)
    def messages(self):
        self._get("/messages", "messages")

    @task(2)
    def conversation(self):
        self._get(f"/messages/{self.person['conversation']}", "conversation")

    @task(2)
    def agenda(self):
        self._get("/agenda", "agenda")

    @task(1)
    def history(self):
        self._get("/historique", "history")

    @task(1)
    def reply(self):
        path = f"{self.space}/messages/{self.person['conversation']}"
        page = self.client.get(path, name="conversation")
        match = CSRF.search(page.text)
        if match is None:
            return
        with self.client.post(path + "/repondre", name="reply", allow_redirects=False,
                              data={"body": "Merci, bien reçu.", "csrf_token": match.group(1)},
                              catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"reply answered {response.status_code}")
