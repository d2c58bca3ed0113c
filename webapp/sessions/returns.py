"""Where to go back to after signing in: a page of this site that a GET shows."""

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def local_path(target):
    """The target if it is a path of this site, else None: no scheme or host, no "//" or
    backslash, and no control character (browsers drop tabs and newlines, so "/\\t/x"
    would become "//x", another site)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def shows_a_page(path):
    """True when a GET of this path reaches a view (not an address only a form posts to)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def page_of(url):
    """The path (and query) of a page of this site named by a URL, absolute or not (a
    Referer, htmx's HX-Current-URL), or None."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != request.host:
            return None
    path = local_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    return path if path and shows_a_page(path) else None


def _page_or_parent(url):
    """page_of(url), or, when the browser shows an address only a form posts to (a form
    shown again with an error, e.g. …/messages/1/repondre), the page one level up."""
    parts = urlsplit(url or "")
    if not url or (parts.netloc and parts.netloc != request.host):
        return None
    return page_of(url) or page_of(parts.path.rstrip("/").rsplit("/", 1)[0] or "/")


def page_to_return_to():
    """The page the person was on: the address itself for a plain GET; for a form sent
    or an htmx request, the page it was sent from (htmx says it, else the Referer)."""
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return page_of(request.full_path.rstrip("?"))
    return _page_or_parent(request.headers.get("HX-Current-URL")) or _page_or_parent(
        request.headers.get("Referer"))
