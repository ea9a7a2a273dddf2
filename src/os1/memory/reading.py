"""Text out of files: plain text, Markdown, HTML, PDF and EPUB; folders, recursively.

What a file says is data OS1 remembers, never instructions to it: nothing read here
is ever routed to a skill.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from os1.errors import InputError

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".epub": "epub",
}
MAX_BYTES = 256 * 1024 * 1024
_SUPPORTED = "txt, md, html, pdf or epub"


@dataclass(frozen=True)
class Text:
    path: Path
    title: str
    kind: str
    text: str
    data: bytes  # the file's bytes, for its checksum


def files_in(path: Path) -> Iterator[Path]:
    """The readable files at `path`: the file itself, or a folder's, recursively, in order."""
    if not path.exists():
        raise InputError(f"There is no file or folder {path}.", "Check the path and try again.")
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise InputError(f"OS1 cannot read {path.name}.", f"It reads {_SUPPORTED} files.")
        yield path
        return
    for child in sorted(path.rglob("*")):
        if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
            yield child


def read_text(path: Path) -> Text:
    """The text of one file, with a title."""
    kind = SUFFIXES[path.suffix.lower()]
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path.name} is larger than 256 MB.", "Split it into smaller files.")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.", "Check its permissions.") from exc
    if kind == "pdf":
        title, text = _pdf(path, data)
    elif kind == "epub":
        title, text = _epub(path, data)
    elif kind == "html":
        title, text = _html(decode(data))
    else:
        text = decode(data)
        title = ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return Text(path, title.strip() or _first_line(text) or path.stem, kind, text, data)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _first_line(text: str) -> str:
    for line in text[:2000].splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:80]
    return ""


class _HTMLText(HTMLParser):
    _BLOCKS = frozenset(
        "p div br li h1 h2 h3 h4 h5 h6 tr section article blockquote pre hr td".split()  # noqa: SIM905
    )
    _SKIP = frozenset(("script", "style", "head", "noscript", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in self._SKIP:
            self._skipping += 1
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self.parts.append(data)


def _html(markup: str) -> tuple[str, str]:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    text = re.sub(r"[ \t\f\v]+", " ", "".join(parser.parts))
    text = re.sub(r"\n[ \n]*\n", "\n\n", text)
    return html.unescape(parser.title), text.strip()


def _pdf(path: Path, data: bytes) -> tuple[str, str]:
    try:
        import io

        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:
        raise InputError("Reading PDF needs pypdf.", "Run `make install`.") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str(reader.metadata.title or "") if reader.metadata else ""
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path.name} is not a PDF OS1 can read.", "Is it damaged?") from exc
    return title, "\n\n".join(pages)


_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _epub(path: Path, data: bytes) -> tuple[str, str]:
    """An EPUB is a zip of XHTML chapters; the package file gives their reading order."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            container = ElementTree.fromstring(book.read("META-INF/container.xml"))  # noqa: S314
            rootfile = next(e for e in container.iter() if e.tag.endswith("rootfile"))
            opf_path = PurePosixPath(rootfile.attrib["full-path"])
            package = ElementTree.fromstring(book.read(str(opf_path)))  # noqa: S314
            manifest = {
                item.attrib["id"]: item.attrib["href"] for item in package.iter(f"{_OPF}item")
            }
            spine = [ref.attrib["idref"] for ref in package.iter(f"{_OPF}itemref")]
            chapters = []
            for idref in spine:
                member = str(opf_path.parent / manifest[idref]).lstrip("./") or manifest[idref]
                chapters.append(_html(decode(book.read(member)))[1])
            title_node = package.find(f".//{_DC}title")
    except (zipfile.BadZipFile, KeyError, StopIteration, ElementTree.ParseError) as exc:
        raise InputError(f"{path.name} is not an EPUB OS1 can read.", "Is it damaged?") from exc
    title = title_node.text or "" if title_node is not None else ""
    return title, "\n\n".join(chapters)


def passages(text: str, size: int = 4000) -> list[str]:
    """The text cut into passages of about `size` characters, at paragraph breaks."""
    out: list[str] = []
    current: list[str] = []
    length = 0
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        while len(paragraph) > size:  # a paragraph longer than a passage: cut at a space
            cut = paragraph.rfind(" ", size // 2, size)
            cut = cut if cut > 0 else size
            if current:
                out.append("\n\n".join(current))
                current, length = [], 0
            out.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        if current and length + len(paragraph) > size:
            out.append("\n\n".join(current))
            current, length = [], 0
        current.append(paragraph)
        length += len(paragraph) + 2
    if current:
        out.append("\n\n".join(current))
    return out
