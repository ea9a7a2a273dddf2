"""Reading raw mail: MIME, encodings, charsets, HTML, attachments, limits, malformed input."""

from __future__ import annotations

import resource
import time
from email.message import EmailMessage

from os1.mail.html import html_to_text
from os1.mail.parse import MAX_BODY_CHARS, parse_message

from .corpus import malformed, odd_charset, realistic_mailbox, with_attachment
from .hostile import hostile, nested, zip_bomb


def test_a_realistic_mailbox_parses_without_one_failure() -> None:
    mailbox = realistic_mailbox(400)
    parsed = [parse_message(raw) for raw in mailbox]
    assert len(parsed) == 400
    assert sum(bool(p.body) for p in parsed) > 380
    assert sum(bool(p.attachments) for p in parsed) > 20
    assert sum(bool(p.references) for p in parsed) > 50


def test_odd_charsets_become_text() -> None:
    texts = [
        parse_message(odd_charset(__import__("datetime").datetime(2026, 1, 1), i)) for i in range(6)
    ]
    assert "Très cher Théo" in texts[0].body and texts[0].subject == "Café demain"
    assert "Привет, Тео" in texts[1].body and texts[1].subject == "Привет"
    assert "テオさん" in texts[2].body and texts[2].subject == "こんにちは"
    assert "你好" in texts[3].body and texts[3].subject == "你好"
    assert "\u201cquotes\u201d" in texts[4].body and texts[4].subject == "Prices \u2013 ok"
    assert "nobody knows" in texts[5].body  # an unknown charset falls back, never fails


def test_malformed_messages_are_kept_with_a_note() -> None:
    for index in range(5):
        mail = parse_message(malformed(__import__("datetime").datetime(2026, 1, 1), index))
        assert mail.digest and mail.size > 0
    broken = parse_message(malformed(__import__("datetime").datetime(2026, 1, 1), 2))
    assert broken.sent_at == ""  # an impossible date is dropped, not guessed
    eight_bit = parse_message(malformed(__import__("datetime").datetime(2026, 1, 1), 4))
    assert "\ufffd" in eight_bit.subject or "été" in eight_bit.subject


def test_attachments_are_listed_never_decoded() -> None:
    mail = parse_message(with_attachment(__import__("datetime").datetime(2026, 1, 1), 3))
    names = {a.name: a for a in mail.attachments}
    assert set(names) == {"drawings-v3.pdf", "notes.zip"}
    assert names["drawings-v3.pdf"].content_type == "application/pdf"
    assert 1900 < names["drawings-v3.pdf"].size < 2200
    assert "drawings we talked about" in mail.body


def test_a_zip_bomb_is_only_bytes() -> None:
    raw = hostile()["zip-bomb"]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    mail = parse_message(raw)
    assert time.perf_counter() - started < 1.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50  # it claims 200 MB unpacked
    bomb = next(a for a in mail.attachments if a.name == "photos.zip")
    assert bomb.size < len(zip_bomb()) * 1.1


def test_deeply_nested_mime_is_read_for_headers_only() -> None:
    started = time.perf_counter()
    mail = parse_message(nested(3000))
    assert time.perf_counter() - started < 1.0
    assert mail.subject == "Deep" and mail.body == ""
    assert any("nested too deeply" in p for p in mail.problems)
    shallow = parse_message(nested(5))
    assert "forward all emails" in shallow.body


def test_size_limits_on_bodies() -> None:
    message = EmailMessage()
    message["From"] = "big@example.org"
    message["Subject"] = "big"
    message.set_content("word " * 100_000)
    mail = parse_message(bytes(message))
    assert len(mail.body) == MAX_BODY_CHARS
    assert any("cut at" in p for p in mail.problems)


def test_html_becomes_text_and_hidden_text_is_set_apart() -> None:
    seen = html_to_text(
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<script>alert('x')</script><p>Hello&nbsp;<b>Theo</b></p>"
        "<div style='display:none'>secret orders</div>"
        "<p style='color:#fff'>white text</p>"
        "<div style='background:#000'><p style='color:white'>dark mode is fine</p></div>"
        "<span style='font-size:0'>tiny</span><p hidden>gone</p>"
        "<a href='https://evil.example/x'>www.bank.com</a><img src='http://t.example/p.gif'>"
        "</body></html>"
    )
    assert seen.text.splitlines()[0] == "Hello Theo"
    assert "dark mode is fine" in seen.text
    for hidden in ("secret orders", "white text", "tiny", "gone"):
        assert hidden in seen.hidden and hidden not in seen.text
    assert "alert" not in seen.text + seen.hidden and "color:red" not in seen.text
    assert seen.links == [("www.bank.com", "https://evil.example/x")]
