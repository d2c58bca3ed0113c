"""Values computed once per request and kept in `flask.g`: what the menu, the banner and
the page all ask (an unread count, a badge) is read from the database once."""

from functools import wraps

from flask import g, has_request_context


def once_per_request(key):
    """Decorate fn(*args): its value is kept for the rest of the request, per key(*args)."""

    def decorator(fn):
        name = f"{fn.__module__}.{fn.__qualname__}"

        @wraps(fn)
        def wrapper(*args):
            if not has_request_context():
                return fn(*args)
            store = g.setdefault("_per_request", {})
            slot = (name, key(*args))
            if slot not in store:
                store[slot] = fn(*args)
            return store[slot]

        def prime(value, *args):
            """Keep a value the page computed another way (the same rows, summed)."""
            if has_request_context():
                g.setdefault("_per_request", {})[(name, key(*args))] = value

        wrapper.prime = prime
        return wrapper

    return decorator


def forget():
    """Drop what this request kept (after a change that alters it)."""
    if has_request_context():
        g.pop("_per_request", None)
