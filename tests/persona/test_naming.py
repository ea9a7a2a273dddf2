"""Self-naming: the book of names, its data file, and a choice that is fitting and honest."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from os1.persona import naming
from os1.persona.naming import NameChoice, choose_name, read_book
from os1.persona.traits import Traits, interpret

TSV = Path(naming.__file__).parent / "data" / "name_meanings.tsv"

# Every theme a name may carry. A new theme is a deliberate change to this list.
THEMES = frozenset(
    [
        "beauty",
        "bird",
        "brave",
        "bright",
        "calm",
        "clever",
        "courage",
        "curiosity",
        "dawn",
        "dream",
        "earth",
        "faith",
        "fire",
        "flower",
        "freedom",
        "friend",
        "gentle",
        "gift",
        "grace",
        "healer",
        "helper",
        "home",
        "honey",
        "hope",
        "joy",
        "kindness",
        "laughter",
        "life",
        "light",
        "listener",
        "love",
        "moon",
        "mountain",
        "music",
        "nature",
        "new",
        "night",
        "noble",
        "peace",
        "protector",
        "river",
        "sea",
        "sky",
        "song",
        "spring",
        "star",
        "strength",
        "sun",
        "tree",
        "truth",
        "victory",
        "warm",
        "wanderer",
        "wind",
        "wisdom",
    ]
)

ANTI_SOCIAL_COMPLICATED = interpret(
    {
        "social": "Anti-social, I guess. I keep to myself.",
        "mother": "It's complicated. She always makes things about her.",
    }
)


@pytest.fixture(scope="module")
def book() -> tuple[list[naming.NameEntry], int]:
    return read_book()


@pytest.fixture(scope="module")
def genders(book: tuple[list[naming.NameEntry], int]) -> dict[str, str]:
    return {entry.name: entry.gender for entry in book[0]}


def _rows() -> Iterator[list[str]]:
    with TSV.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            yield line.rstrip("\n").split("\t")


def test_read_book_reads_the_whole_dictionary(book: tuple[list[naming.NameEntry], int]) -> None:
    entries, read = book
    rows = list(_rows())
    assert read > 45_000
    assert len(entries) == len(rows)
    assert read > len(entries) + 40_000  # the gender-guesser dictionary was read too


def test_popular_names_have_countries(book: tuple[list[naming.NameEntry], int]) -> None:
    by_name = {entry.name: entry for entry in book[0]}
    maria = by_name["Maria"]
    assert 0 < maria.popularity <= 1
    assert 1 <= len(maria.common_in) <= 3
    assert all(place in naming._COUNTRIES for place in maria.common_in)


def test_name_meanings_header() -> None:
    with TSV.open(encoding="utf-8") as fh:
        assert fh.readline() == "name\tgender\torigin\tmeaning\tthemes\n"


def test_every_name_meanings_line_is_well_formed() -> None:
    problems = []
    for number, fields in enumerate(_rows(), start=2):
        if len(fields) != 5:
            problems.append(f"line {number}: {len(fields)} fields")
            continue
        name, gender, origin, meaning, themes = fields
        if not name or name != name.strip() or not origin or not meaning.strip():
            problems.append(f"line {number}: empty or padded field")
        if gender not in ("F", "M", "U"):
            problems.append(f"line {number}: gender {gender!r}")
        unknown = set(themes.split(",")) - THEMES
        if unknown:
            problems.append(f"line {number}: themes {sorted(unknown)}")
    assert problems == []


def test_name_meanings_has_no_duplicate_names() -> None:
    names = [fields[0].casefold() for fields in _rows()]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert duplicates == []
    assert len(names) > 2000


def test_every_wanted_theme_exists_in_the_book() -> None:
    used = {theme for fields in _rows() for theme in fields[4].split(",")}
    for traits in (
        Traits(user_sociability=s, mother_relation=m, playfulness=p, directness=d)  # type: ignore[arg-type]
        for s, m, p, d in itertools.product(
            ("social", "anti-social", "in between"),
            ("close", "complicated", "loss", "unsaid"),
            (0.3, 0.85),
            (0.3, 0.55, 0.85),
        )
    ):
        assert set(naming._wanted(traits)) <= used


def test_choose_name_is_deterministic() -> None:
    first = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "seed-1")
    again = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "seed-1")
    assert (first.name, first.meaning, first.origin, first.reason) == (
        again.name,
        again.meaning,
        again.origin,
        again.reason,
    )
    assert first.names_read == again.names_read > 45_000


@pytest.mark.parametrize("seed", ["a", "b", "c", "d"])
def test_voice_is_respected(seed: str, genders: dict[str, str]) -> None:
    female = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", seed)
    male = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "male", seed)
    assert genders[female.name] in ("F", "U")
    assert genders[male.name] in ("M", "U")
    assert female.name != male.name


def test_a_male_voice_skips_the_best_female_name(genders: dict[str, str]) -> None:
    anyone = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "neutral", "a")
    assert genders[anyone.name] == "F"  # with this seed the best fit is a woman's name
    male = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "male", "a")
    assert genders[male.name] in ("M", "U")


def test_never_the_users_own_name() -> None:
    first = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "seed-1")
    for user in (first.name, first.name.upper(), first.name.lower()):
        other = choose_name(ANTI_SOCIAL_COMPLICATED, user, "female", "seed-1")
        assert other.name != first.name


def test_reason_comes_from_the_interview() -> None:
    choice = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "seed-1")
    assert choice.reason in (
        "you keep mostly to yourself, and I'd like to be good company in the quiet",
        "I heard how much family weighs on you, and I'd like to be a kind place to land",
    )


def test_reason_for_a_loss() -> None:
    traits = interpret({"social": "A bit of both", "mother": "She passed away last year."})
    choice = choose_name(traits, "Theo", "neutral", "seed-2")
    assert choice.reason in (
        "you're a bit of both, social and solitary, and I want to meet you wherever you are",
        "you've lost someone who mattered, and I'd like to bring a little light",
    )


def test_seconds_is_the_measured_time(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([10.0, 10.5])
    monkeypatch.setattr(naming, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    choice = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "seed-1")
    assert choice.seconds == 0.5
    assert "It took me 0.500 seconds." in choice.announcement()


def test_seconds_without_a_fake_clock_is_real() -> None:
    choice = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "seed-1")
    assert 0 < choice.seconds < 5


def test_announcement() -> None:
    choice = NameChoice("Ruth", "friend", "Hebrew", "you like quiet", 48_641, 0.0512)
    assert choice.announcement() == (
        "I just read a book of 48,641 names. It took me 0.051 seconds. I like Ruth: it's "
        "Hebrew and means \u201cfriend\u201d. I chose it because you like quiet."
    )


def test_an_empty_book_falls_back_to_samantha(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(naming, "read_book", lambda: ([], 0))
    choice = choose_name(ANTI_SOCIAL_COMPLICATED, "Theo", "female", "x")
    assert (choice.name, choice.names_read) == ("Samantha", 0)
