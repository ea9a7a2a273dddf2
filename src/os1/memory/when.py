"""Time in a question: "last week", "yesterday", "in May 2023", "three days ago".

`time_window` finds the span a question asks about, relative to now, and the words
that said so (which are then left out of the keyword search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

_MONTHS = {
    name: index + 1
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "few": 3,
    "a couple of": 2,
    "couple of": 2,
    "several": 4,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_RE = r"\d+|" + "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True))


@dataclass(frozen=True)
class Window:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC
    words: str  # the words that named it

    def bounds(self) -> tuple[str, str]:
        """As stored timestamps (ISO 8601, UTC), for comparing in SQL."""
        return (
            self.start.astimezone(UTC).isoformat(timespec="seconds"),
            self.end.astimezone(UTC).isoformat(timespec="seconds"),
        )


def _days(first: date, count: int, words: str, tz: object) -> Window:
    start = datetime.combine(first, time(), tzinfo=tz)  # type: ignore[arg-type]
    return Window(start, start + timedelta(days=count), words)


def _month_span(year: int, month: int) -> tuple[date, int]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, (following - first).days


def _relative(text: str, today: date, tz: object) -> Window | None:
    if m := re.search(r"\b(today|this morning|this evening|tonight)\b", text):
        return _days(today, 1, m.group(0), tz)
    if m := re.search(r"\b(yesterday|last night)\b", text):
        return _days(today - timedelta(days=1), 1, m.group(0), tz)
    if m := re.search(rf"\b({_NUMBER_RE})\s+(day|week|month|year)s?\s+ago\b", text):
        amount = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1)]
        unit = {"day": 1, "week": 7, "month": 30, "year": 365}[m.group(2)]
        centre = today - timedelta(days=amount * unit)
        slack = max(1, unit // 2)
        return _days(centre - timedelta(days=slack), 2 * slack + 1, m.group(0), tz)
    if m := re.search(r"\b(this|last|past) (week|month|year)\b", text):
        period = m.group(2)
        if period == "week":
            monday = today - timedelta(days=today.weekday())
            first = monday if m.group(1) == "this" else monday - timedelta(days=7)
            return _days(first, 7 if m.group(1) != "past" else 8, m.group(0), tz)
        if period == "month":
            back = 0 if m.group(1) == "this" else 1
            month_index = today.year * 12 + today.month - 1 - back
            first, length = _month_span(month_index // 12, month_index % 12 + 1)
            return _days(first, length, m.group(0), tz)
        year = today.year - (0 if m.group(1) == "this" else 1)
        return _days(
            date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days, m.group(0), tz
        )
    if m := re.search(rf"\b(?:on |last )?({'|'.join(_WEEKDAYS)})\b", text):
        back = (today.weekday() - _WEEKDAYS.index(m.group(1))) % 7 or 7
        return _days(today - timedelta(days=back), 1, m.group(0), tz)
    return None


def _absolute(text: str, today: date, tz: object) -> Window | None:
    day_month = rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b,?\s*(\d{{4}})?"
    month_day = rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b,?\s*(\d{{4}})?"
    for pattern, order in ((day_month, "dm"), (month_day, "md")):
        if m := re.search(pattern, text):
            day_text, month_text = (m.group(1), m.group(2)) if order == "dm" else m.group(2, 1)
            month, day = _MONTHS[month_text], int(day_text)
            year = int(m.group(3)) if m.group(3) else _latest_year(today, month, day)
            try:
                when = date(year, month, day)
            except ValueError:
                continue
            return _days(when, 1, m.group(0), tz)
    if m := re.search(rf"\b(?:in\s+)?({_MONTH_RE})\b,?\s*(\d{{4}})?", text):
        if m.group(1) == "may" and not m.group(2) and not m.group(0).startswith("in"):
            return None  # "may" alone is a verb far more often than a month
        month = _MONTHS[m.group(1)]
        year = int(m.group(2)) if m.group(2) else _latest_year(today, month)
        first, length = _month_span(year, month)
        return _days(first, length, m.group(0), tz)
    if m := re.search(r"\b(?:in\s+)(19\d\d|20\d\d)\b", text):
        year = int(m.group(1))
        return _days(
            date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days, m.group(0), tz
        )
    return None


def _latest_year(today: date, month: int, day: int = 1) -> int:
    """The year of the latest such date that has begun: memory asks about the past, so in
    February "in December" is the December just gone, not the one to come."""
    return today.year if (month, day) <= (today.month, today.day) else today.year - 1


# "Should I visit her in December?" makes a plan; it does not ask what was said then.
_PLANS = re.compile(
    r"\b(will|shall|should|going to|gonna|plan(ning)? to|want to|hope to|next|coming)\b|'ll\b"
)
_ASKS_BACK = re.compile(
    r"\b(did|didn'?t|was|wasn'?t|were|had|said|told|went|happened|remember|recall)\b"
)


def time_window(question: str, now: datetime) -> Window | None:
    """The span of time `question` asks about, if it names one."""
    text = question.lower()
    local = now.astimezone()
    if window := _relative(text, local.date(), local.tzinfo):
        return window
    if _PLANS.search(text) and not _ASKS_BACK.search(text):
        return None
    return _absolute(text, local.date(), local.tzinfo)
