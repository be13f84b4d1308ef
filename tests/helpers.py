"""Small helpers the tests share: reading a rendered form like a browser would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag != "input" or "name" not in attributes:
            return
        kind = attributes.get("type", "text")
        if kind == "hidden" or (kind in ("radio", "checkbox") and "checked" in attributes):
            self.fields.append((attributes["name"], attributes.get("value") or ""))


def form_fields(html: str) -> list[tuple[str, str]]:
    """The hidden and checked fields a browser would send back (no text inputs)."""
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def hidden_value(html: str, name: str) -> str:
    return dict(form_fields(html))[name]


class Respondent:
    """Fills a public form through the HTTP stack, page by page, as a browser without JS."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token
        self.html = ""

    def start(self, **headers):
        response = self.client.get(f"/s/{self.token}", headers=headers)
        self.html = response.get_data(as_text=True)
        return response

    def post(
        self, answers: dict[str, str | list[str]] | None = None, action: str = "next", **headers
    ):
        current = {name for name in (answers or {})}
        fields = [(n, v) for n, v in form_fields(self.html) if n not in current]
        for answer_id, value in (answers or {}).items():
            for item in value if isinstance(value, list) else [value]:
                fields.append((answer_id, item))
        fields.append(("action", action))
        response = self.client.post(f"/s/{self.token}", data=_multi(fields), headers=headers)
        self.html = response.get_data(as_text=True)
        return response


def _multi(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)
