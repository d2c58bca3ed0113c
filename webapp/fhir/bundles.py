"""Search results as a Bundle of type searchset, paged with Bundle.link (self, first,
previous, next) and _count / _offset."""

import json
from urllib.parse import urlencode

from fhir.resources.R4B.bundle import Bundle
from flask import current_app, has_request_context, request

from webapp.fhir.search import paging


def base_url():
    """The absolute address of the FHIR base (of this request; BASE_URL outside one)."""
    root = request.host_url if has_request_context() else current_app.config["BASE_URL"]
    return root.rstrip("/") + "/fhir"


def _link(relation, path, args, offset, count):
    query = [(k, v) for k, v in args.items(multi=True) if k not in ("_offset", "_count")]
    query += [("_count", str(count)), ("_offset", str(offset))]
    return {"relation": relation, "url": f"{base_url()}/{path}?{urlencode(query)}"}


def searchset(query, path, to_fhir, args=None):
    """The page of `query` the request asks for, each row through `to_fhir`."""
    args = request.args if args is None else args
    count, offset = paging(args)
    total = query.count()
    rows = list(query.offset(offset).limit(count)) if count else []
    links = [_link("self", path, args, offset, count), _link("first", path, args, 0, count)]
    if count and offset > 0:
        links.append(_link("previous", path, args, max(0, offset - count), count))
    if count and offset + count < total:
        links.append(_link("next", path, args, offset + count, count))
    return collection(total, [to_fhir(row) for row in rows], links)


class Page:
    """A Bundle ready to send: its frame checked by the Bundle model, its entries'
    resources (each already a checked model) serialised once, not checked again."""

    def __init__(self, frame, resources, kind):
        self.frame, self.resources, self.kind = frame, resources, kind

    def chunks(self):
        """The Bundle as FHIR JSON, piece by piece (an entry at a time): to write a file."""
        frame = self.frame.model_dump_json(exclude_none=True)
        if not self.resources:
            yield frame
            return
        yield frame[:-1] + ', "entry": ['
        base = base_url()
        for i, resource in enumerate(self.resources):
            entry = {"fullUrl": f"{base}/{resource.get_resource_type()}/{resource.id}"}
            if self.kind == "searchset":
                entry["search"] = {"mode": "match"}
            head = json.dumps(entry, ensure_ascii=False)[:-1]
            yield (", " if i else "") + (
                f'{head}, "resource": {resource.model_dump_json(exclude_none=True)}}}')
        yield "]}"

    def model_dump_json(self, exclude_none=True):
        """The Bundle as FHIR JSON."""
        return "".join(self.chunks())


def collection(total, resources, links=(), kind="searchset"):
    """A Bundle of these resources (models of fhir.resources)."""
    data = {"resourceType": "Bundle", "type": kind, "link": list(links)}
    if kind == "searchset":
        data["total"] = total
    return Page(Bundle.model_validate(data), list(resources), kind)
