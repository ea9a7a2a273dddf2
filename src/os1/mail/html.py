"""HTML mail as plain text, safely: nothing is fetched or run, hidden text is set apart.

The parser only reads: scripts, styles and embedded objects are dropped, images stay
unloaded, and text a reader would not see (display:none, zero-size or invisible type,
white on white) goes to `hidden` instead of the body. Hidden text is how an email
whispers to a machine what it would not show a person, so triage looks at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

MAX_HTML_CHARS = 2_000_000  # beyond this an HTML part is read only in part

_DROP = frozenset(
    [
        "script",
        "style",
        "head",
        "title",
        "template",
        "noscript",
        "svg",
        "math",
        "object",
        "embed",
        "iframe",
        "frame",
        "frameset",
        "applet",
        "audio",
        "video",
        "canvas",
        "select",
        "button",
        "textarea",
    ]
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "hr",
        "pre",
        "address",
        "figure",
        "form",
        "fieldset",
        "center",
    ]
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    r"|font-size\s*:\s*[01](?:\.\d+)?\s*(?:px|pt)?\s*(?:;|$|!)|font-size\s*:\s*0"
    r"|(?:max-)?height\s*:\s*[01]px[^\"]*overflow\s*:\s*hidden"
    r"|overflow\s*:\s*hidden[^\"]*(?:max-)?height\s*:\s*[01]px",
    re.IGNORECASE,
)
_COLOR = re.compile(r"(?<![-\w])color\s*:\s*([#\w(),. %]+)", re.IGNORECASE)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([#\w(),. %]+)", re.IGNORECASE)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e]")
_DOMAIN_TEXT = re.compile(
    r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/:?#]|$)", re.I
)
_WHITE = {"#fff", "#ffffff", "white", "rgb(255,255,255)", "#fefefe", "#fffffe"}


@dataclass
class HtmlText:
    text: str
    hidden: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (shown text, real target)


def _norm_colour(value: str) -> str:
    return re.sub(r"\s+", "", value.strip().lower().split("!")[0])


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self.links: list[tuple[str, str]] = []
        # open elements: (tag, hidden, dropped, background colour)
        self._stack: list[tuple[str, bool, bool, str]] = [("", False, False, "")]
        self._link: tuple[str, list[str]] | None = None

    def _state(self) -> tuple[bool, bool, str]:
        _, hidden, dropped, background = self._stack[-1]
        return hidden, dropped, background

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        hidden, dropped, background = self._state()
        if tag in _BLOCK:
            self._emit("\n", hidden)
        if tag in _VOID:
            return
        style = values.get("style", "")
        if found := _BACKGROUND.search(style):
            background = _norm_colour(found.group(1))
        elif values.get("bgcolor"):
            background = _norm_colour(values["bgcolor"])
        colour = _COLOR.search(style)
        invisible = bool(
            _HIDDEN_STYLE.search(style)
            or "hidden" in values
            or (colour and _norm_colour(colour.group(1)) in _WHITE and background in ("", *_WHITE))
            or (colour and background and _norm_colour(colour.group(1)) == background)
        )
        self._stack.append((tag, hidden or invisible, dropped or tag in _DROP, background))
        if tag == "a" and values.get("href"):
            self._link = (values["href"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            href, shown = self._link
            self.links.append((" ".join("".join(shown).split()), href))
            self._link = None
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break
        if tag in _BLOCK:
            self._emit("\n", self._state()[0])

    def handle_data(self, data: str) -> None:
        hidden, dropped, _ = self._state()
        if dropped:
            return
        self._emit(data, hidden)
        if self._link is not None and not hidden:
            self._link[1].append(data)

    def _emit(self, text: str, hidden: bool) -> None:
        (self.hidden if hidden else self.visible).append(text)


def tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines; drop zero-width characters."""
    text = _ZERO_WIDTH.sub("", text).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> HtmlText:
    """What a person would see of an HTML mail, what they would not, and its links."""
    reader = _Reader()
    reader.feed(html[:MAX_HTML_CHARS])
    reader.close()
    return HtmlText(tidy("".join(reader.visible)), tidy(" ".join(reader.hidden)), reader.links)


def link_domain(text: str) -> str:
    """The domain a piece of link text claims to be ('paypal.com' in 'www.paypal.com/x')."""
    found = _DOMAIN_TEXT.match(text.strip())
    return found.group(1).lower() if found else ""


def target_domain(href: str) -> str:
    try:
        host = urlsplit(href.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")
