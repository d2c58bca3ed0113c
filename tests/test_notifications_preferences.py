"""Notifications: preferences per event and channel (mandatory ones cannot be switched
off), who may change them, and the notifications page and links of each space."""

import datetime as dt

from tests.helpers import act_for, make_child, make_user, space_path
from tests.notifications_support import world_fixture  # noqa: F401 (the fixture "world")
from webapp import mail
from webapp.notify import preferences
from webapp.notify.queue import notify


def test_preferences_switch_off_optional_events_only(client, world):
    owner = world["owner"]
    url = space_path(world["space"], "/parametres/notifications")
    client.sign_in(owner.email)
    _, doc = client.page(url)
    assert doc.by_id("pref-new_message-email").get("checked") is not None
    assert doc.by_id("pref-professional_access-email") is None  # cannot be switched off
    keep = ["new_document:email", "new_document:app", "new_message:app",
            "appointment_reminder:email", "professional_access:email"]
    assert client.submit(url, {"on": keep}).status_code == 303
    assert notify(owner, "new_message", channel="email") is None
    assert notify(owner, "new_message").channel == "app"
    preferences.set_preference(owner, "professional_access", "email", False)
    assert notify(owner, "professional_access", channel="email") is not None
    _, doc = client.page(url)
    assert doc.by_id("pref-new_message-email").get("checked") is None
    assert doc.by_id("pref-new_message-app").get("checked") is not None


def test_preferences_need_settings_write_to_change(app, world):
    client = app.test_client()
    prefix = act_for(client, make_user("mediator"), world["space"], ["settings.read"])
    client.page(prefix + "/parametres/notifications")
    assert client.submit(prefix + "/parametres/notifications", {"on": []}).status_code == 404
    assert preferences.wants(world["owner"], "new_message", "email")


def test_notifications_shown_in_the_space(client, world):
    notify(world["owner"], "new_document", link="/documents")
    client.sign_in(world["owner"].email)
    _, doc = client.page("/notifications")
    assert "Nouveau document dans votre espace santé" in doc.text
    assert doc.find("a", href="/documents") is not None


def test_emails_link_to_the_preferences_of_the_recipients_space(client, world):
    body = mail.build(notify(world["owner"], "new_document", channel="email")).get_content()
    url = space_path(world["space"], "/parametres/notifications")
    assert "http://127.0.0.1:5000" + url in body
    client.sign_in(world["owner"].email)
    client.page(url)  # the link opens
    parent = make_user()
    child = make_child(parent, dt.date(2016, 4, 1))  # a parent with no space of their own
    body = mail.build(notify(parent, "new_document", channel="email")).get_content()
    assert space_path(child, "/parametres/notifications") in body
    body = mail.build(notify(world["pro"], "new_message", channel="email")).get_content()
    assert "aucune information médicale" in body and "/parametres" not in body


def test_notifications_page_of_a_parent_without_a_space_of_their_own(client, world):
    parent = make_user()
    child = make_child(parent, dt.date(2016, 4, 1))
    notify(parent, "new_document", link=space_path(child, "/documents"))
    client.sign_in(parent.email)
    _, doc = client.page("/notifications")
    assert doc.find("a", href=space_path(child, "/documents")) is not None
    assert doc.find("a", href=space_path(child, "/parametres/notifications")) is not None
