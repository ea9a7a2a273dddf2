"""The book as an EPUB 3 (with an EPUB 2 table of contents for older readers), written as
the zip it is, and a structural check of an EPUB: what readers and epubcheck look at first.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from defusedxml import ElementTree  # the EPUB checked may be anyone's

from os1.errors import StorageError
from os1.letters.archive import Letter
from os1.letters.book_pdf import byline

_XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'xml:lang="en" lang="en">\n<head><meta charset="utf-8"/><title>{title}</title>'
    '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n<body>\n{body}\n</body>'
    "\n</html>\n"
)
_CSS = """body { font-family: serif; line-height: 1.5; margin: 1em; }
h1 { text-align: center; font-weight: normal; margin-top: 2em; }
p.byline, p.number { text-align: center; font-style: italic; }
p { text-indent: 0; margin: 0 0 0.8em 0; text-align: justify; }
section.title { text-align: center; margin-top: 30%; }
"""
_CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="OEBPS/content.opf" '
    'media-type="application/oebps-package+xml"/></rootfiles>\n</container>\n'
)


def _page(title: str, body: str) -> str:
    return _XHTML.format(title=escape(title), body=body)


def _chapter(number: int, letter: Letter) -> str:
    paragraphs = "\n".join(
        f"<p>{escape(p.strip())}</p>" for p in letter.body.split("\n") if p.strip()
    )
    line = byline(letter)
    body = (
        f'<section epub:type="chapter"><p class="number">Letter {number}</p>'
        f"<h1>{escape(letter.heading)}</h1>"
        + (f'<p class="byline">{escape(line)}</p>' if line else "")
        + f"\n{paragraphs}</section>"
    )
    return _page(letter.heading, body)


def _nav(letters: Sequence[Letter]) -> str:
    items = "\n".join(
        f'<li><a href="letter-{i:03d}.xhtml">{escape(letter.heading)}</a></li>'
        for i, letter in enumerate(letters, 1)
    )
    body = f'<nav epub:type="toc" id="toc"><h1>Contents</h1>\n<ol>\n{items}\n</ol></nav>'
    return _page("Contents", body)


def _ncx(book_id: str, title: str, letters: Sequence[Letter]) -> str:
    points = "".join(
        f'<navPoint id="p{i}" playOrder="{i}"><navLabel><text>{escape(letter.heading)}</text>'
        f'</navLabel><content src="letter-{i:03d}.xhtml"/></navPoint>'
        for i, letter in enumerate(letters, 1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head>'
        f'<meta name="dtb:uid" content="urn:uuid:{book_id}"/></head>'
        f"<docTitle><text>{escape(title)}</text></docTitle><navMap>{points}</navMap></ncx>\n"
    )


def _opf(book_id: str, title: str, author: str, letters: Sequence[Letter]) -> str:
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    chapters = range(1, len(letters) + 1)
    manifest = "".join(
        f'<item id="letter-{i:03d}" href="letter-{i:03d}.xhtml" '
        'media-type="application/xhtml+xml"/>'
        for i in chapters
    )
    spine = "".join(f'<itemref idref="letter-{i:03d}"/>' for i in chapters)
    creator = f"<dc:creator>{escape(author)}</dc:creator>" if author else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="bookid">urn:uuid:{book_id}</dc:identifier>'
        f"<dc:title>{escape(title)}</dc:title><dc:language>en</dc:language>{creator}"
        f'<meta property="dcterms:modified">{modified}</meta></metadata><manifest>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="css" href="style.css" media-type="text/css"/>'
        '<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>'
        f'{manifest}</manifest><spine toc="ncx"><itemref idref="title"/>'
        f'<itemref idref="nav"/>{spine}</spine></package>\n'
    )


def write_epub(
    out: Path, title: str, subtitle: str, author: str, letters: Sequence[Letter]
) -> None:
    book_id = str(uuid.uuid4())
    title_page = _page(
        title,
        f'<section class="title" epub:type="titlepage"><h1>{escape(title)}</h1>'
        f'<p class="byline">{escape(subtitle)}</p></section>',
    )
    files = {
        "META-INF/container.xml": _CONTAINER,
        "OEBPS/content.opf": _opf(book_id, title, author, letters),
        "OEBPS/nav.xhtml": _nav(letters),
        "OEBPS/toc.ncx": _ncx(book_id, title, letters),
        "OEBPS/style.css": _CSS,
        "OEBPS/title.xhtml": title_page,
    }
    for i, letter in enumerate(letters, 1):
        files[f"OEBPS/letter-{i:03d}.xhtml"] = _chapter(i, letter)
    try:
        with zipfile.ZipFile(out, "w") as book:
            book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # stored, first
            for name, text in files.items():
                book.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise StorageError(f"Cannot write {out}: {exc.strerror}.", "Choose another place.") from exc


_OPF = "{http://www.idpf.org/2007/opf}"


def epub_problems(path: Path) -> list[str]:
    """What breaks the EPUB's structure (the container, package, manifest, spine, nav)."""
    try:
        book = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"not a zip file ({exc})"]
    with book:
        names = book.namelist()
        first = book.infolist()[0] if names else None
        if first is None or first.filename != "mimetype" or first.compress_type != 0:
            return ["the first entry must be an uncompressed 'mimetype'"]
        if book.read("mimetype") != b"application/epub+zip":
            return ["'mimetype' must say application/epub+zip"]
        try:
            container = ElementTree.fromstring(book.read("META-INF/container.xml"))
            rootfile = container.find(".//{*}rootfile")
            opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
            package = ElementTree.fromstring(book.read(opf_path))
        except (KeyError, ElementTree.ParseError) as exc:
            return [f"container or package unreadable ({exc})"]
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        items = {i.get("id"): i for i in package.iter(f"{_OPF}item")}
        problems = [f"{i.get('href')} is listed but missing" for i in items.values()
                    if base + str(i.get("href")) not in names]  # fmt: skip
        spine = [r.get("idref") for r in package.iter(f"{_OPF}itemref")]
        problems += [f"spine names unknown item {r}" for r in spine if r not in items]
        if not any("nav" in (i.get("properties") or "").split() for i in items.values()):
            problems.append("no navigation document (properties='nav')")
        for item in items.values():
            if item.get("media-type") == "application/xhtml+xml":
                try:
                    ElementTree.fromstring(book.read(base + str(item.get("href"))))
                except (KeyError, ElementTree.ParseError) as exc:
                    problems.append(f"{item.get('href')} is not well-formed XHTML ({exc})")
        return problems
