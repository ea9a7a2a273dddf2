"""A letter file (plain text or Markdown, one letter a file) -> who wrote it, to whom, when.

Headers come first when the file has them, as front matter between `---` lines or as
`From:`/`To:`/`Date:`/`Title:` lines at the top. Without them the letter itself says: its
salutation ("Dear Chris,") names the recipient, the name after the closing ("Love,")
the writer, and a date in the file name (2009-04-12) when it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^(from|to|date|title|client|recipient)\s*:\s*(.*)$", re.IGNORECASE)
_KEYS = {"client": "from", "recipient": "to"}
_SALUTATION = re.compile(
    r"^(?:my\s+)?(?:dear(?:est)?|hi|hello|hey|darling)\s+([^,\n:!.]{1,60}?)\s*(?:[,:!]|$)",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(love|all my love|with love|yours|yours truly|yours always|always|forever yours|"
    r"warmly|fondly|sincerely|yours sincerely|best|best wishes|xo+|your \w+|love always|"
    r"with all my love|affectionately|until soon|till soon)[,.!]?$",
    re.IGNORECASE,
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class ParsedLetter:
    sender: str
    recipient: str
    written_on: str
    title: str
    body: str


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    headers: dict[str, str] = {}
    if lines and lines[0].strip() == "---" and "---" in (s.strip() for s in lines[1:]):
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        for line in lines[1:end]:
            if ":" in line:
                key, value = line.split(":", 1)
                key = key.strip().lower()
                headers[_KEYS.get(key, key)] = value.strip().strip("\"'")
        return headers, "\n".join(lines[end + 1 :]).strip()
    at = 0
    while at < len(lines) and (match := _HEADER.match(lines[at].strip())):
        key = match.group(1).lower()
        headers[_KEYS.get(key, key)] = match.group(2).strip()
        at += 1
    return headers, "\n".join(lines[at:]).strip()


def _signature(lines: list[str]) -> str:
    tail = [line.strip() for line in lines if line.strip()][-3:]
    for i, line in enumerate(tail[:-1]):
        if _CLOSING.match(line):
            name = tail[i + 1].strip(" ,.-")
            return name if 0 < len(name.split()) <= 4 else ""
    return ""


def parse_letter(text: str, file_name: str = "") -> ParsedLetter:
    headers, body = _front_matter(text)
    lines = body.split("\n")
    title = headers.get("title", "")
    if not title and lines and lines[0].startswith("# "):
        title, body = lines[0][2:].strip(), "\n".join(lines[1:]).strip()
        lines = body.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    greeting = _SALUTATION.match(first)
    recipient = headers.get("to") or (greeting.group(1).strip() if greeting else "")
    date = headers.get("date", "")
    if not date and (found := _DATE.search(file_name)):
        date = found.group(0)
    return ParsedLetter(
        sender=headers.get("from") or _signature(lines),
        recipient=recipient,
        written_on=date,
        title=title,
        body=body,
    )


def to_file(letter: ParsedLetter) -> str:
    """A letter as a Markdown file with front matter: what `parse_letter` reads back."""
    head = ["---", f"from: {letter.sender}", f"to: {letter.recipient}"]
    if letter.written_on:
        head.append(f"date: {letter.written_on}")
    if letter.title:
        head.append(f"title: {letter.title}")
    return "\n".join([*head, "---", "", letter.body, ""])
