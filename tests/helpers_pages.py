"""Test helpers: a page parsed into a small tree of nodes, and the structural check every
page fetched through PageClient.page() passes (one h1, no duplicate ids, every control
labelled, every form with an action and a CSRF token)."""

import re
from collections import Counter
from html.parser import HTMLParser


class Node:
    """An element of the parsed page: tag, attributes, children, text."""

    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, attrs, parent, [], []

    @property
    def text(self):
        """All text inside, whitespace collapsed."""
        out = []

        def walk(node):
            for part in node.parts:
                if isinstance(part, Node):
                    walk(part)
                else:
                    out.append(part)

        walk(self)
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def get(self, name, default=None):
        """An attribute's value."""
        return self.attrs.get(name, default)

    def iter(self):
        """This node and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Descendants with this tag (or any) whose attributes equal the given ones."""
        attrs = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.iter() if n is not self and (tag is None or n.tag == tag)
                and all(n.attrs.get(k) == v if v is not True else k in n.attrs
                        for k, v in attrs.items())]

    def find(self, tag=None, **attrs):
        """The first match of find_all, or None."""
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, ident):
        """The element with this id, or None."""
        return self.find(id=ident)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.current.parts.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def parse(html):
    """Parse HTML into a Node tree."""
    parser = _Parser()
    parser.feed(html)
    return parser.root


LABELLABLE = {"input", "select", "textarea"}


def check_structure(doc, fragment=False):
    """Assert the page's structure: returns a list of problems (empty when fine)."""
    problems = []
    ids = Counter(n.get("id") for n in doc.iter() if n.get("id"))
    problems += [f"duplicate id {i!r}" for i, c in ids.items() if c > 1]
    if not fragment:
        html = doc.find("html")
        if html is None or html.get("lang") not in ("fr", "en"):
            problems.append("html element without lang fr/en")
        mains = doc.find_all("main")
        if len(mains) != 1:
            problems.append(f"{len(mains)} main landmarks")
        h1s = doc.find_all("h1")
        if len(h1s) != 1:
            problems.append(f"{len(h1s)} h1 elements")
        title = doc.find("title")
        if title is None or not title.text:
            problems.append("no title")
    labels_for = {n.get("for") for n in doc.find_all("label")}
    for control in (n for n in doc.iter() if n.tag in LABELLABLE):
        kind = control.get("type", "text")
        if kind in ("hidden", "submit", "button", "reset", "image"):
            continue
        named = (control.get("id") in labels_for or control.get("aria-label")
                 or control.get("aria-labelledby") or control.get("title"))
        inside_label = any(p.tag == "label" for p in _ancestors(control))
        if not named and not inside_label:
            problems.append(f"unlabelled {control.tag} name={control.get('name')!r}")
    for form in doc.find_all("form"):
        if not form.get("action"):
            problems.append(f"form without action: {form.attrs}")
        if form.get("method", "get").lower() == "post" and not form.find(
                "input", name="csrf_token"):
            problems.append(f"POST form without CSRF token: {form.get('action')}")
    return problems


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
