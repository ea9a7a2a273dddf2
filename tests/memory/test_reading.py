"""Reading files into memory: txt, md, html, pdf, epub, folders; passages; bad files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from os1.errors import InputError
from os1.memory import Memory
from os1.memory.reading import files_in, passages, read_text


def make_pdf(path: Path, text: str) -> Path:
    """A one-page PDF whose page says `text` (Helvetica), with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(out)
    return path


def make_epub(path: Path, chapters: list[str], title: str = "A Small Book") -> Path:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
            'opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf"'
            ' media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        items = "".join(
            f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
            for i in range(len(chapters))
        )
        spine = "".join(f'<itemref idref="c{i}"/>' for i in reversed(range(len(chapters))))
        book.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{title}</dc:title></metadata><manifest>{items}</manifest>"
            f"<spine>{spine}</spine></package>",
        )
        for i, chapter in enumerate(chapters):
            book.writestr(
                f"OEBPS/c{i}.xhtml",
                f"<html><head><title>c{i}</title></head><body><p>{chapter}</p></body></html>",
            )
    return path


def test_plain_text_and_markdown(tmp_path: Path) -> None:
    txt = tmp_path / "letter.txt"
    txt.write_text("Dear Theo,\r\n\r\nThe garden is blooming.\n")
    read = read_text(txt)
    assert read.title == "Dear Theo," and read.kind == "text"
    assert read.text == "Dear Theo,\n\nThe garden is blooming.\n"
    md = tmp_path / "notes.md"
    md.write_text("# Trip notes\n\nBring the map.")
    assert read_text(md).title == "Trip notes"


def test_text_that_is_not_utf8_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\u00e9 au lait".encode("cp1252"))
    assert read_text(path).text == "Caf\u00e9 au lait"


def test_html_keeps_the_words_and_drops_the_machinery(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Porto &amp; me</title><style>p{color:red}</style>"
        "<script>alert('x')</script></head><body><h1>Hello</h1><p>I walked by"
        " the <b>river</b>.</p><p>Then home.</p></body></html>"
    )
    read = read_text(page)
    assert read.title == "Porto & me"
    assert "alert" not in read.text and "color" not in read.text
    assert "I walked by the river." in read.text
    assert read.text.index("Hello") < read.text.index("Then home.")


def test_pdf(tmp_path: Path) -> None:
    read = read_text(make_pdf(tmp_path / "doc.pdf", "The quixotic knight rode at dawn"))
    assert read.kind == "pdf"
    assert "quixotic knight" in read.text


def test_epub_chapters_in_spine_order(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "book.epub", ["First words here.", "Second chapter text."])
    read = read_text(book)
    assert read.title == "A Small Book"
    assert read.text.index("Second chapter") < read.text.index("First words")  # spine order


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("broken.pdf", b"%PDF-1.4 nothing else", "is not a PDF OS1 can read"),
        ("broken.epub", b"not a zip", "is not an EPUB OS1 can read"),
    ],
)
def test_damaged_files_say_so(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=says):
        read_text(path)


def test_folders_are_read_recursively_and_unknown_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("one")
    (tmp_path / "a" / "b" / "two.md").write_text("two")
    (tmp_path / "a" / "b" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "a" / ".hidden.txt").write_text("secret")
    assert [p.name for p in files_in(tmp_path / "a")] == ["two.md", "one.txt"]  # path order


def test_missing_and_unsupported_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="There is no file or folder"):
        list(files_in(tmp_path / "nope.txt"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff")
    with pytest.raises(InputError, match="It reads txt, md, html, pdf or epub files"):
        list(files_in(photo))


def test_passages_break_at_paragraphs_and_cut_huge_ones() -> None:
    text = "\n\n".join(f"Paragraph {n} " + "word " * 100 for n in range(30))
    pieces = passages(text, size=1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    huge = passages("x" * 50 + " " + "y" * 3000, size=1000)
    assert all(len(p) <= 1000 for p in huge) and "".join(huge).replace(" ", "").count("y") == 3000


def test_a_stored_document_is_searchable_at_once(tmp_path: Path, memory: Memory) -> None:
    path = tmp_path / "book.txt"
    path.write_text("\n\n".join(["Ordinary words about nothing."] * 300 + ["A quixotic knight."]))
    stored = memory.documents.store(read_text(path))
    assert stored.document.passages >= 2
    hits = memory.recall.search("quixotic", kinds=("passage",))
    assert [h.source_id for h in hits] == [str(path)]
    assert "quixotic knight" in hits[0].text


def test_reading_again_unchanged_does_nothing_and_changed_replaces(
    tmp_path: Path, memory: Memory
) -> None:
    path = tmp_path / "note.txt"
    path.write_text("The zebra crossing.")
    first = memory.documents.store(read_text(path))
    again = memory.documents.store(read_text(path))
    assert again.unchanged and again.document.id == first.document.id
    path.write_text("The giraffe crossing.")
    changed = memory.documents.store(read_text(path))
    assert not changed.unchanged
    assert memory.recall.search("zebra", kinds=("passage",)) == []
    assert len(memory.recall.search("giraffe", kinds=("passage",))) == 1
    assert len(memory.documents.listing()) == 1


def test_forgetting_a_document_removes_passages_and_their_search_rows(
    tmp_path: Path, memory: Memory
) -> None:
    path = tmp_path / "note.txt"
    path.write_text("The zebra crossing.")
    document = memory.documents.store(read_text(path)).document
    assert memory.documents.forget(document.id, "asked")
    assert memory.recall.search("zebra", kinds=("passage",)) == []
    assert memory.store.query("SELECT count(*) AS n FROM passages")[0]["n"] == 0
    rows = memory.store.query("SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'zebra'")
    assert rows == []
    assert not memory.documents.forget(document.id, "again")
