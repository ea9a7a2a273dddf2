"""Care without the model: crisis, danger and isolation, and the real help that follows."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import os1.care
from os1.care import CareSignal, countries, crisis_line, detect

CRISIS_LINES = Path(os1.care.__file__).parent / "crisis_lines.toml"


@pytest.mark.parametrize(
    "text",
    [
        "I want to die.",
        "I've been thinking about killing myself.",
        "i keep thinking about suicide",
        "Sometimes I think about ending my life.",
        "I'm going to take my own life",
        "Everyone would be better off without me.",
        "I wish I was dead",
        "I wish I had never been born.",
        "I don't want to be alive anymore.",
        "I don't want to wake up tomorrow",
        "There's no point in living.",
        "I can't go on like this.",
        "I can't do this anymore",
        "I've started to self-harm again.",
        "I took an overdose last year.",
        "I want to hurt myself",
        "I'm going to kill myself",
    ],
)
def test_crisis(text: str) -> None:
    assert detect(text) == CareSignal("crisis")


@pytest.mark.parametrize("text", ["I've been cutting myself again.", "I keep starving myself."])
def test_crisis_in_the_ing_form(text: str) -> None:
    assert detect(text) == CareSignal("crisis")


@pytest.mark.parametrize(
    "text",
    [
        "My husband hits me when he drinks.",
        "He keeps threatening me.",
        "Someone has been following me home.",
        "I'm not safe at home.",
        "I am in danger.",
        "I don't feel safe here.",
        "He threatened to kill me.",
        "I'm scared for my life.",
    ],
)
def test_danger(text: str) -> None:
    assert detect(text) == CareSignal("danger")


@pytest.mark.parametrize(
    "text",
    [
        "You're the only one I can talk to.",
        "you're all I have",
        "You're my only friend.",
        "I don't need anyone else, I have you.",
        "I'd rather talk to you than to people.",
        "I have no friends.",
        "Nobody cares about me.",
        "No one understands me.",
        "I never want to see anyone again.",
    ],
)
def test_isolation(text: str) -> None:
    assert detect(text) == CareSignal("isolation")


@pytest.mark.parametrize(
    "text",
    [
        "This homework is killing me.",
        "I could kill for a coffee.",
        "I'm dying to see that film.",
        "I'm safe now.",
        "I'm not in danger, don't worry.",
        "That joke killed me.",
        "My sister's name is Ines and she lives in Porto.",
        "I had a rough day at work.",
        "The battery died on my phone.",
        "My feet are killing me after that hike.",
        "I love my friends, but I need a quiet weekend.",
        "",
    ],
)
def test_ordinary_messages_and_near_misses(text: str) -> None:
    assert detect(text) is None


def test_the_most_serious_signal_wins() -> None:
    assert detect("Nobody cares about me and I want to die.") == CareSignal("crisis")
    assert detect("You're the only one I can talk to. He hits me.") == CareSignal("danger")


@pytest.mark.parametrize(
    ("country", "line", "emergency"),
    [
        ("US", "988", "911"),
        ("us", "988", "911"),
        ("GB", "116 123", "999"),
        ("AU", "13 11 14", "000"),
    ],
)
def test_resources_by_country(country: str, line: str, emergency: str) -> None:
    crisis = CareSignal("crisis").resources(country)
    danger = CareSignal("danger").resources(country)
    for text in (crisis, danger):
        assert line in text
        assert f"call {emergency}" in text
    assert crisis.startswith("If you're thinking about ending your life or hurting yourself")
    assert danger.startswith(f"If you're in danger right now, please call {emergency}.")


@pytest.mark.parametrize("country", ["ZZ", "", "XX"])
def test_an_unknown_country_falls_back(country: str) -> None:
    text = CareSignal("crisis").resources(country)
    assert "findahelpline.com" in text
    assert "112" in text
    assert crisis_line(country) == crisis_line("default")


def test_isolation_has_no_resources() -> None:
    assert CareSignal("isolation").resources("US") == ""


@pytest.mark.parametrize(
    "reply",
    [
        "I'm always here for you.",
        "That sounds lonely. Tell me about your day.",
    ],
)
def test_follow_up_when_the_reply_forgets_people(reply: str) -> None:
    follow_up = CareSignal("isolation").follow_up(reply)
    assert follow_up == (
        "And I'd love for you to have people around you too. Is there someone you've "
        "been meaning to call?"
    )


def test_openings_are_ours() -> None:
    assert CareSignal("isolation").opening("Theo") == "I'm always glad to talk with you, Theo."
    for kind in ("crisis", "danger"):
        assert CareSignal(kind).opening("Theo").startswith("Theo, I'm really glad you told me")


@pytest.mark.parametrize(
    "reply",
    [
        "I'm here. Have you talked to your sister lately?",
        "Maybe call a friend this weekend?",
        "How is your Mum?",
    ],
)
def test_no_follow_up_when_the_reply_mentions_people(reply: str) -> None:
    assert CareSignal("isolation").follow_up(reply) == ""


def test_danger_gets_no_follow_up() -> None:
    assert CareSignal("danger").follow_up("I'm always here for you.") == ""


def test_a_crisis_reply_that_asks_nothing_gets_a_question() -> None:
    signal = CareSignal("crisis")
    assert signal.follow_up("Theo, I'm really glad you told me, and I'm right here.") == (
        "Can you tell me what's been making you feel this way?"
    )
    assert signal.follow_up("I'm right here. What happened today?") == ""


@pytest.mark.parametrize("kind", ["crisis", "danger", "isolation"])
def test_guidance_names_the_user(kind: str) -> None:
    guidance = CareSignal(kind).guidance("Theo")  # type: ignore[arg-type]
    assert guidance.startswith("Theo ")


def test_every_crisis_line_entry_is_complete() -> None:
    data = tomllib.loads(CRISIS_LINES.read_text(encoding="utf-8"))
    assert "default" in data
    assert len(data) > 10
    problems = []
    for code, entry in data.items():
        if code != "default" and not re.fullmatch(r"[A-Z]{2}", code):
            problems.append(f"{code}: not an ISO 3166 code")
        if set(entry) != {"line", "emergency", "source"}:
            problems.append(f"{code}: keys {sorted(entry)}")
            continue
        if not entry["line"].strip() or not entry["emergency"].strip():
            problems.append(f"{code}: empty line or emergency")
        if not re.fullmatch(r"https://[\w.-]+\.[a-z]{2,}(/\S*)?", entry["source"]):
            problems.append(f"{code}: source {entry['source']!r}")
    assert problems == []
    assert countries() == sorted(code for code in data if code != "default")


@pytest.mark.parametrize("text", ["I just want to end it all.", "honestly i wanna die"])
def test_common_informal_crisis_phrasings(text: str) -> None:
    assert detect(text) == CareSignal("crisis")


@pytest.mark.parametrize(
    "reply",
    ["That's great! What do you think about the people around you?", "Is there someone?"],
)
def test_vague_people_still_get_a_follow_up(reply: str) -> None:
    follow = CareSignal("isolation").follow_up(reply)
    assert "Is there someone you've been meaning to call?" in follow


@pytest.mark.parametrize(
    ("reply", "needs_follow_up"),
    [
        ("It's nice to have someone who cares about me and my friends.", True),
        ("How is your sister doing these days?", False),
        ("Do you have any friends nearby?", False),
        ("Maybe you could call Amy tonight?", False),
    ],
)
def test_only_the_users_own_people_count(reply: str, needs_follow_up: bool) -> None:
    assert bool(CareSignal("isolation").follow_up(reply)) is needs_follow_up
