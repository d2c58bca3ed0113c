"""Entries of the log's first format, whose target was one string."""


def split_old_target(target):
    """(kind, id or None, detail) of a format-1 target such as "document:12:download"."""
    parts = target.split(":")
    if len(parts) >= 2 and parts[1].isdigit() and len(parts[1]) < 18:
        return parts[0], int(parts[1]), ":".join(parts[2:])[:250]
    if len(parts) >= 2:
        return parts[0], None, ":".join(parts[1:])[:250]
    return "", None, target[:250]
