"""Reading rendered pages in tests with the standard library's HTML parser."""

import json
from html.parser import HTMLParser


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.h1s: list[str] = []
        self.title = ""
        self.json_ld: list[str] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.links: list[dict] = []
        self.metas: list[dict] = []
        self._capture: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes += 1
        if tag == "link":
            self.links.append(attributes)
        if tag == "meta":
            self.metas.append(attributes)
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self._start("json_ld")
            elif "src" not in attributes:
                self.inline_scripts += 1
        elif tag == "h1":
            self._start("h1")
        elif tag == "title" and "head" in self.stack and "svg" not in self.stack:
            self._start("title")
        if tag not in {"link", "meta", "br", "img", "input", "hr", "path"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self._capture and tag == {"json_ld": "script"}.get(self._capture, self._capture):
            text = " ".join("".join(self._buffer).split())
            if self._capture == "h1":
                self.h1s.append(text)
            elif self._capture == "title":
                self.title = text
            else:
                self.json_ld.append("".join(self._buffer))
            self._capture = None
        while self.stack and self.stack[-1] != tag:
            self.stack.pop()
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self._capture:
            self._buffer.append(data)

    def _start(self, what):
        self._capture = what
        self._buffer = []


def parse(html: str | bytes) -> _PageParser:
    parser = _PageParser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser


def json_ld_items(html) -> list[dict]:
    return [json.loads(block) for block in parse(html).json_ld]


def meta_content(html, key: str) -> str | None:
    for meta in parse(html).metas:
        if key in (meta.get("name"), meta.get("property")):
            return meta.get("content")
    return None
