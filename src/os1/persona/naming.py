"""Self-naming: OS1 reads a whole book of names and picks one, with a reason.

The book is two real files read end to end every time: Jörg Michael's dictionary of
about 45,000 given names with how common each is in 55 countries (shipped in the
`gender-guesser` package, GFDL), and OS1's own list of names with their meanings and
themes (`data/name_meanings.tsv`). The reading is timed, and the time OS1 reports
is the time it took.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from os1.persona.traits import Traits

_MEANINGS = Path(__file__).parent / "data" / "name_meanings.tsv"

# Column 30 onwards of nam_dict.txt: one frequency digit per country, in this order.
_COUNTRIES = (
    "Great Britain",
    "Ireland",
    "the U.S.",
    "Italy",
    "Malta",
    "Portugal",
    "Spain",
    "France",
    "Belgium",
    "Luxembourg",
    "the Netherlands",
    "East Frisia",
    "Germany",
    "Austria",
    "Switzerland",
    "Iceland",
    "Denmark",
    "Norway",
    "Sweden",
    "Finland",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Poland",
    "the Czech Republic",
    "Slovakia",
    "Hungary",
    "Romania",
    "Bulgaria",
    "Bosnia and Herzegovina",
    "Croatia",
    "Kosovo",
    "Macedonia",
    "Montenegro",
    "Serbia",
    "Slovenia",
    "Albania",
    "Greece",
    "Russia",
    "Belarus",
    "Moldova",
    "Ukraine",
    "Armenia",
    "Azerbaijan",
    "Georgia",
    "Central Asia",
    "Turkey",
    "the Arab world and Persia",
    "Israel",
    "China",
    "India and Sri Lanka",
    "Japan",
    "Korea",
    "Vietnam",
    "other countries",
)


@dataclass(frozen=True)
class NameEntry:
    name: str
    gender: str  # F, M or U
    origin: str
    meaning: str
    themes: tuple[str, ...]
    frequencies: str = ""  # one digit per country, from the dictionary

    @property
    def popularity(self) -> float:
        """0..1: how common the name is across the dictionary's 55 countries."""
        return _commonness(self.frequencies)[0]

    @property
    def common_in(self) -> tuple[str, ...]:
        return _commonness(self.frequencies)[1]


@dataclass(frozen=True)
class NameChoice:
    name: str
    meaning: str
    origin: str
    reason: str
    names_read: int
    seconds: float

    def announcement(self) -> str:
        """What OS1 says when it has named itself."""
        return (
            f"I just read a book of {self.names_read:,} names. It took me "
            f"{self.seconds:.3f} seconds. I like {self.name}: it's {self.origin} and means "
            f"\u201c{self.meaning}\u201d. I chose it because {self.reason}."
        )


def _dictionary_path() -> Path | None:
    spec = importlib.util.find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"
    return path if path.is_file() else None


# A name line: gender code, the name in columns 3-28, a marker (a '+' marks a duplicate
# spelling to skip), then one frequency digit per country in columns 30-84.
_NAME_LINE = re.compile(rb"^[MF?1][MF ] (.{26})[ -](.{55})", re.MULTILINE)


def _read_dictionary(path: Path | None) -> dict[bytes, bytes]:
    """Every name line of nam_dict.txt: {name padded to 26 bytes: frequency digits}."""
    if path is None:
        return {}
    return dict(_NAME_LINE.findall(path.read_bytes()))


def _read_meanings(path: Path) -> Iterator[tuple[str, str, str, str, tuple[str, ...]]]:
    with path.open(encoding="utf-8") as fh:
        next(fh, None)  # header
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                name, gender, origin, meaning, themes = parts
                yield name, gender, origin, meaning, tuple(themes.split(","))


def _commonness(digits: str) -> tuple[float, tuple[str, ...]]:
    values = [int(c, 16) if c.strip() else 0 for c in digits]
    if not any(values):
        return 0.0, ()
    top = sorted(range(len(values)), key=values.__getitem__, reverse=True)[:3]
    places = tuple(_COUNTRIES[i] for i in top if values[i] and i < len(_COUNTRIES))
    return min(1.0, sum(values) / 60), places


def read_book() -> tuple[list[NameEntry], int]:
    """Every name in the book, and how many names were read in all."""
    frequencies = _read_dictionary(_dictionary_path())
    entries = [
        NameEntry(
            name,
            gender,
            origin,
            meaning,
            themes,
            frequencies.get(name.encode().ljust(26), b"").decode("ascii", "replace"),
        )
        for name, gender, origin, meaning, themes in _read_meanings(_MEANINGS)
    ]
    return entries, len(frequencies) + len(entries)


def _wanted(traits: Traits) -> dict[str, tuple[float, str]]:
    """Themes a name could carry, each with a weight and the reason it would be chosen."""
    wanted: dict[str, tuple[float, str]] = {}

    def want(themes: tuple[str, ...], weight: float, reason: str) -> None:
        for theme in themes:
            if weight > wanted.get(theme, (0.0, ""))[0]:
                wanted[theme] = (weight, reason)

    want(
        ("light", "life", "new", "dawn", "spring"),
        0.4,
        "I'm new, and everything feels like a beginning",
    )
    social = {
        "anti-social": (
            ("listener", "calm", "peace", "gentle", "friend"),
            "you keep mostly to yourself, and I'd like to be good company in the quiet",
        ),
        "social": (
            ("friend", "joy", "song", "music"),
            "you love being around people, and I want to fit right into your life",
        ),
        "in between": (
            ("friend", "wanderer", "curiosity", "listener"),
            "you're a bit of both, social and solitary, and I want to meet you wherever you are",
        ),
    }[traits.user_sociability]
    want(social[0], 1.0, social[1])
    mother = {
        "complicated": (
            ("home", "kindness", "healer", "gentle", "protector"),
            "I heard how much family weighs on you, and I'd like to be a kind place to land",
        ),
        "loss": (
            ("hope", "light", "healer", "home"),
            "you've lost someone who mattered, and I'd like to bring a little light",
        ),
        "close": (
            ("love", "warm", "home", "kindness"),
            "you spoke about your mother with such warmth, and I want to carry some of it",
        ),
        "unsaid": ((), ""),
    }[traits.mother_relation]
    want(mother[0], 0.9, mother[1])
    if traits.playfulness >= 0.8:
        want(("joy", "laughter", "bright", "bird"), 0.8, "you like to laugh, and so do I")
    if traits.directness >= 0.8:
        want(("truth", "courage", "brave"), 0.7, "you asked me to be honest with you")
    elif traits.directness <= 0.35:
        want(("gentle", "grace", "calm"), 0.7, "you asked me to be gentle with you")
    return wanted


def _jitter(seed: str, name: str) -> float:
    digest = hashlib.sha256(f"{seed}\x00{name}".encode()).digest()
    return digest[0] / 255 * 0.35


def choose_name(traits: Traits, user_name: str, voice: str, seed: str) -> NameChoice:
    """Read the book and pick the name that fits this persona best; timed honestly."""
    started = time.perf_counter()
    entries, read = read_book()
    wanted = _wanted(traits)
    allowed = {"female": ("F", "U"), "male": ("M", "U")}.get(voice, ("F", "M", "U"))
    best: tuple[float, NameEntry, str] | None = None
    for entry in entries:
        if entry.gender not in allowed or entry.name.lower() == user_name.lower():
            continue
        matched = [wanted[t] for t in entry.themes if t in wanted]
        if not matched:
            continue
        _weight, reason = max(matched)
        score = sum(w for w, _ in matched) + 0.5 * entry.popularity + _jitter(seed, entry.name)
        if best is None or score > best[0]:
            best = (score, entry, reason)
    seconds = time.perf_counter() - started
    if best is None:  # an empty or damaged book: the film's name is a fine fallback
        return NameChoice(
            "Samantha", "listener", "Aramaic", "it was the first name I loved", read, seconds
        )
    _, entry, reason = best
    return NameChoice(entry.name, entry.meaning, entry.origin, reason, read, seconds)
