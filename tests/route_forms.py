"""Plausible filled forms for the route walk (no test here): the POST forms found on the
pages a person opens, each field given a value that fits its type and name, so that an
action's code runs past validation."""

import datetime as dt
import io
from urllib.parse import urlsplit

from tests.helpers import PASSWORD, PDF, parse

BY_NAME = {  # what a person would type, by the field's name (Camille's own details)
    "first_name": "Camille", "last_name": "Martin", "birth_date": "1984-05-14",
    "email": "nouvelle.adresse@example.org", "nir": "284057505612387", "reference": "DEMO0CAMILLE",
    "postcode": "75011", "city": "Paris", "phone": "0612345678",
    "day": (dt.date.today() + dt.timedelta(days=7)).isoformat(),  # an appointment: ahead
    "measured_at": "00:05",  # a measurement: already taken today
}
BY_TYPE = {
    "date": lambda: dt.date.today().isoformat(),
    "time": lambda: "10:30", "datetime-local": lambda: f"{dt.date.today()}T10:30",
    "number": lambda: "70", "email": lambda: "nouvelle.adresse@example.org",
    "tel": lambda: "0612345678", "password": lambda: PASSWORD, "url": lambda: "https://a.fr",
}
SKIPPED_TYPES = {"submit", "button", "image", "reset"}


def _value(control):
    kind = control.get("type", "text").lower()
    name = control.get("name")
    if control.get("value"):
        return control.get("value")
    if name in BY_NAME:
        return BY_NAME[name]
    return BY_TYPE.get(kind, lambda: "Texte de test")()


def _options(select):
    options = [o for o in select.iter() if o.tag == "option" and o.get("value", o.text)]
    chosen = [o for o in options if "selected" in o.attrs] or options[:1]
    return [o.get("value", o.text) for o in chosen]


def fields(form):
    """{name: value or [values]} of a form, filled as a careful person would."""
    data, radios = {}, set()
    for control in form.iter():
        name, kind = control.get("name"), control.get("type", "text").lower()
        if not name or control.tag not in ("input", "select", "textarea", "button"):
            continue
        if control.tag == "select":
            data[name] = _options(control)
        elif control.tag == "textarea":
            data[name] = control.text or "Texte de test"
        elif control.tag == "button" or kind in SKIPPED_TYPES:
            data.setdefault(name, control.get("value", ""))  # the first named button
        elif kind == "file":
            data[name] = "\0file"
        elif kind == "checkbox":
            data.setdefault(name, []).append(control.get("value", "on"))
        elif kind == "radio":
            if name not in radios or "checked" in control.attrs:
                data[name] = control.get("value", "on")
                radios.add(name)
        else:
            data[name] = _value(control)
    return data


def collect(found, url, html):
    """Add the POST forms of a page to `found` ({action path: fields}), first one kept."""
    for form in parse(html).find_all("form"):
        if form.get("method", "get").lower() != "post":
            continue
        action = urlsplit(form.get("action") or url).path
        found.setdefault(action, fields(form))


def payload(found, url):
    """The data to post to `url`: the form found for it (files made fresh), else nothing
    but the CSRF token."""
    data = {}
    for name, value in found.get(urlsplit(url).path, {}).items():
        if name == "csrf_token":  # the page's token is the session's that opened it
            continue
        data[name] = (io.BytesIO(PDF), "compte-rendu.pdf") if value == "\0file" else value
    return data
