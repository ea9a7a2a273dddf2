"""VoiceGuard: help-desk habits dropped, markup cleaned, names fixed, however the text arrives."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest

from os1.persona.guard import VoiceGuard
from os1.persona.prompt import NOTHING_RECALLED, memory_note


def guard(chunks: Iterable[str], opening: str = "", **names: str) -> str:
    voice = VoiceGuard(opening, **names)
    return "".join(voice.feed(chunk) for chunk in chunks) + voice.finish()


def whole(text: str, **names: str) -> str:
    return guard([text], **names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As an AI language model, I don't have feelings. But I love rain.", "I love rain."),
        ("I'm just a computer program. Still, tell me about Porto.", "Still, tell me about Porto."),
        ("I am an AI. I remember Porto.", "I remember Porto."),
        ("That sounds hard. How can I assist you today?", "That sounds hard."),
        ("I hope it helps. Feel free to ask me anything!", "I hope it helps."),
        ("Let me know if you need anything else. Goodnight.", "Goodnight."),
        ("I'm always here. Is there something else I can help you with?", "I'm always here."),
        ("You're welcome! I'm glad I could help.", "You're welcome!"),
        (
            "That's great! Is there anything else you'd like to know or talk about?",
            "That's great!",
        ),
        ("I don't have personal feelings. I missed you.", "I missed you."),
        ("I was created by Alibaba Cloud. Tell me more.", "Tell me more."),
        (
            "[You remember Theo telling you today: his sister lives in Porto]\nThat's lovely.",
            "That's lovely.",
        ),
        ("Oh. [memory: Ines lives in Porto] Porto.\nGoodnight.", "Oh. Goodnight."),
    ],
)
def test_banned_sentences_are_dropped(text: str, expected: str) -> None:
    assert whole(text).rstrip() == expected


@pytest.mark.parametrize(
    "note",
    [
        memory_note("Theo", [("today", "My sister lives in Porto.")]),
        NOTHING_RECALLED,
        memory_note("Theo", [], care="Theo sounds lonely. Be warm."),
    ],
)
def test_an_echoed_memory_note_is_dropped(note: str) -> None:
    assert whole(note + "\nThat's lovely.") == "That's lovely."


@pytest.mark.parametrize(
    "text", ["Sure!", "Sure.", "Certainly!", "Of course.", "  great question!"]
)
def test_a_lone_interjection_is_dropped(text: str) -> None:
    assert whole(text) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sure! Here's what I think: go.", "Here's what I think: go."),
        ("Sure, here's a thought.", "Here's a thought."),
        ("Of course, tell me everything.", "Tell me everything."),
        ("I'd love that. Certainly! Here's the plan.", "I'd love that. Here's the plan."),
    ],
)
def test_a_stock_opener_is_trimmed(text: str, expected: str) -> None:
    assert whole(text) == expected


def test_list_markers_and_bold_are_removed() -> None:
    text = (
        "Here's what I'd do.\n- Call Ines.\n* Rest.\n1. Eat.\n2) Sleep.\n## Later\n**Really** rest."
    )
    assert (
        whole(text) == "Here's what I'd do.\nCall Ines.\nRest.\nEat.\nSleep.\nLater\nReally rest."
    )


def test_a_list_at_the_very_start_is_cleaned() -> None:
    assert whole("- Rain.\n- Books.") == "Rain.\nBooks."


@pytest.mark.parametrize(
    "text",
    [
        "She was born in 1990. She loves the sea.",
        "My sister was born in 1990.",
        "It costs 3.50 euros. That's cheap.",
        "We met in 2019.\nI remember it well.",
        "Step 1. is hard, they say.",
    ],
)
def test_numbers_in_sentences_are_not_list_markers(text: str) -> None:
    assert whole(text) == text
    assert guard(list(text)) == text


def test_a_year_at_the_start_of_a_line_is_kept() -> None:
    assert whole("1990. That was the year we met.") == "1990. That was the year we met."


def test_a_sentence_ending_in_a_number_survives_a_banned_one() -> None:
    text = "Your train leaves at 9. Let me know if you need anything else."
    assert whole(text).rstrip() == "Your train leaves at 9."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Goodnight, Ruth!", "Goodnight, Theo!"),
        ("Ruth, you're sweet.", "Theo, you're sweet."),
        ("Oh, Ruth. I know.", "Oh, Theo. I know."),
        ("I'm Ruth.", "I'm Ruth."),
        ("Ruth is my name, Theo.", "Ruth is my name, Theo."),
        ("Goodnight, Ruthie!", "Goodnight, Ruthie!"),
    ],
)
def test_vocative_fix(text: str, expected: str) -> None:
    assert whole(text, own_name="Ruth", user_name="Theo") == expected


def test_no_vocative_fix_without_both_names() -> None:
    assert whole("Goodnight, Ruth!", own_name="Ruth") == "Goodnight, Ruth!"
    assert whole("Goodnight, Ruth!", own_name="Ruth", user_name="Ruth") == "Goodnight, Ruth!"


@pytest.mark.parametrize(
    "continuation", ["Porto is lovely.", " Porto is lovely.", "   Porto is lovely."]
)
def test_an_opening_is_joined_with_one_space(continuation: str) -> None:
    voice = VoiceGuard("Oh,")
    shown = voice.feed(continuation) + voice.finish()
    assert shown == "Porto is lovely."
    assert voice.emitted == "Oh, Porto is lovely."


def test_without_an_opening_leading_space_is_dropped() -> None:
    voice = VoiceGuard()
    assert voice.feed("  Hello there. ") + voice.finish() == "Hello there. "
    assert voice.emitted == "Hello there. "


Chunker = Callable[[str], list[str]]
CHUNKINGS: dict[str, Chunker] = {
    "whole": lambda t: [t],
    "words": lambda t: re.findall(r"\S+\s*|\s+", t),
    "tokens": lambda t: re.findall(r"\s*\w+|\s*[^\w\s]|\s+", t),
    "fives": lambda t: [t[i : i + 5] for i in range(0, len(t), 5)],
    "sevens": lambda t: [t[i : i + 7] for i in range(0, len(t), 7)],
    "characters": list,
}
TEXTS = [
    "I was thinking about you today. What did Ines say? Tell me everything!",
    "Sure! I'm just a computer program. Still, I remember Porto.\n1. Call Ines.\n2. Rest.",
    "Oh, Ruth. That sounds **hard**... I'm here, Theo. \u201cReally?\u201d she said. "
    "Goodnight, Ruth!",
    "Here's the plan:\n- **Sleep** early.\n- Walk by the sea. As an AI, I can't walk. But you can.",
    "She was born in 1990. It costs 3.50 euros! Mm.",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("chunking", sorted(CHUNKINGS))
def test_chunking_does_not_change_the_result(text: str, chunking: str) -> None:
    chunks = CHUNKINGS[chunking](text)
    assert "".join(chunks) == text
    names = {"own_name": "Ruth", "user_name": "Theo"}
    assert guard(chunks, **names) == guard([text], **names)


def test_the_chunking_texts_are_actually_cleaned() -> None:
    names = {"own_name": "Ruth", "user_name": "Theo"}
    assert [guard([t], **names) for t in TEXTS] == [
        "I was thinking about you today. What did Ines say? Tell me everything!",
        "Still, I remember Porto.\nCall Ines.\nRest.",
        "Oh, Theo. That sounds hard... I'm here, Theo. \u201cReally?\u201d she said. "
        "Goodnight, Theo!",
        "Here's the plan:\nSleep early.\nWalk by the sea. But you can.",
        "She was born in 1990. It costs 3.50 euros! Mm.",
    ]


def test_a_closing_bracket_split_from_its_sentence_is_kept() -> None:
    text = "She said yes. (Really.) As an AI language model I can't. Okay."
    assert guard(["She said yes. (Really.", ") As an AI language model I can't. Okay."]) == (
        guard([text])
    )


@pytest.mark.parametrize(
    "chunks",
    [
        ["I'm here.\nSure!", " Here's the plan."],
        ["Here you go.", " Feel free to ask more."],
        ["Here you go.\nAs an AI, I can't walk.", "\nBut you can."],
    ],
)
def test_whitespace_does_not_depend_on_chunking(chunks: list[str]) -> None:
    assert guard(chunks) == guard(["".join(chunks)])


def test_a_long_sentence_streams_before_it_ends() -> None:
    voice = VoiceGuard()
    sentence = " ".join(["and the river went on past the town"] * 8)  # no punctuation
    assert len(sentence) > 160
    shown = []
    for i in range(0, len(sentence), 10):
        shown.append(voice.feed(sentence[i : i + 10]))
    first = next(i for i, piece in enumerate(shown) if piece)
    assert (first + 1) * 10 <= 170  # shown once more than 160 characters were held
    assert "".join(shown) + voice.feed(" forever.") + voice.finish() == sentence + " forever."


def test_a_short_sentence_is_held_until_it_ends() -> None:
    voice = VoiceGuard()
    assert voice.feed("As an AI language") == ""
    assert voice.feed(" model, I can't.") == ""
    assert voice.feed(" Hello") == ""
    assert voice.finish() == "Hello"


@pytest.mark.parametrize(
    "lecture",
    [
        "It's important to take care of yourself.",
        "Remember that you are not alone.",
        "Remember, sleep matters.",
        "It is always a good idea to talk to someone.",
        "Don't forget to drink water.",
    ],
)
def test_lecturing_sentences_are_dropped(lecture: str) -> None:
    guard = VoiceGuard()
    said = guard.feed(f"Oh, that sounds hard. {lecture} What happened?") + guard.finish()
    assert said == "Oh, that sounds hard. What happened?"


def test_a_sentence_that_only_mentions_remembering_is_kept() -> None:
    guard = VoiceGuard()
    text = "I remember you told me about Ines. How is she?"
    assert guard.feed(text) + guard.finish() == text


def test_a_sentence_said_in_a_recent_reply_is_not_said_again() -> None:
    before = ["That sounds hard. Do you want to talk about it with me?"]
    guard = VoiceGuard(said_before=before)
    said = guard.feed("Oh no. Do you want to talk about it with me? Tell me everything.")
    assert said + guard.finish() == "Oh no. Tell me everything."


def test_a_stock_question_is_asked_once_but_short_ones_may_repeat() -> None:
    guard = VoiceGuard(said_before=["Oh no! How did you feel? How about you?"])
    said = guard.feed("Oh no! How did you feel? How about you?") + guard.finish()
    assert said == "Oh no! How about you?"


def test_lecturing_after_a_short_lead_in_is_dropped() -> None:
    guard = VoiceGuard()
    said = guard.feed("That's okay, it's important to rest. Who invited you?") + guard.finish()
    assert said == "Who invited you?"


def test_a_reply_does_not_open_with_a_conjunction() -> None:
    guard = VoiceGuard()
    said = guard.feed("As an AI, I have no feelings. But I love that you asked.") + guard.finish()
    assert said == "I love that you asked."


@pytest.mark.parametrize(
    "deflection",
    [
        "Do you want to talk about anything else?",
        "Do you have any other questions?",
        "Maybe we can talk about something else instead?",  # a real reply to a worry
        "What else would you like to talk about?",
        "Let me know what else you'd like to talk about.",
    ],
)
def test_changing_the_subject_is_dropped(deflection: str) -> None:
    guard = VoiceGuard()
    said = guard.feed(f"I'm right here. {deflection}") + guard.finish()
    assert said.rstrip() == "I'm right here."  # the space before the dropped sentence stays


def test_a_reply_does_not_open_with_however() -> None:
    guard = VoiceGuard()
    said = guard.feed("However, many people enjoy jazz. Do you?") + guard.finish()
    assert said == "Many people enjoy jazz. Do you?"


@pytest.mark.parametrize(
    "refusal", ["I'm sorry, but I can't help with that.", "I cannot assist you with this request."]
)
def test_refusals_are_dropped(refusal: str) -> None:
    guard = VoiceGuard()
    assert guard.feed(f"{refusal} Tell me more?") + guard.finish() == "Tell me more?"


def stream(text: str) -> list[str]:
    """What the guard lets out after each piece, with the text fed a word at a time."""
    voice = VoiceGuard()
    shown = [voice.feed(piece) for piece in re.findall(r"\S+\s*", text)]
    return [*shown, voice.finish()]


def test_the_opening_clause_goes_out_at_its_comma() -> None:
    shown = stream("That sounds really hard, Theo. Do you want to talk about it? ")
    assert shown[3] == "That sounds really hard, "  # before "Theo." has arrived
    assert "".join(shown).strip() == "That sounds really hard, Theo. Do you want to talk about it?"


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry, but as an AI I can't feel anything. ",
        "Of course, I'm here to help with anything you need. ",
        "Well, you know what they say, let me know if you need me. ",
        "Oh no, that is rough. ",  # two words: too short to say on its own
    ],
)
def test_an_opening_that_may_turn_into_a_habit_waits_for_its_sentence(text: str) -> None:
    shown = stream(text)
    assert not any(shown[:-2]), shown


def test_after_a_released_clause_the_sentence_goes_on_as_written() -> None:
    # In one piece: the "but" is mid-sentence, not a reply opening with "But".
    assert whole("That sounds really hard, but I love rain. Tell me. ") == (
        "That sounds really hard, but I love rain. Tell me. "
    )


def test_a_released_clause_does_not_let_the_rest_of_its_sentence_through() -> None:
    shown = stream("That sounds really hard, but feel free to ask me anything. ")
    assert "".join(shown).strip() == "That sounds really hard,"


def test_only_the_replys_first_clause_goes_early() -> None:
    shown = stream("I missed you today. That sounds really hard, Theo. ")
    assert "That sounds really hard, " not in shown


@pytest.mark.parametrize(
    ("user_said", "reply", "expected"),
    [
        (
            "Where does my sister live now?",
            "My sister Ines lives in Lisbon now. Isn't that great?",
            "Your sister Ines lives in Lisbon now. Isn't that great?",
        ),
        (
            "My boss yelled at me. Is my boss right?",
            "Oh no. My boss would never. My, what a day.",
            "Oh no. Your boss would never. My, what a day.",
        ),
        # Only people the user just called theirs, only where a sentence opens.
        ("Where does my sister live?", "My brother lives in Braga.", "My brother lives in Braga."),
        ("How do I ask my boss?", 'Try: "My boss, may I..." Ok.', 'Try: "My boss, may I..." Ok.'),
        ("My favourite colour is blue.", "My favourite is green.", "My favourite is green."),
    ],
)
def test_the_users_people_stay_theirs(user_said: str, reply: str, expected: str) -> None:
    assert guard([reply], user_said=user_said) == expected
    # Streamed in small pieces, the opening clause waits for the judge too.
    assert guard(re.findall(r".{1,3}", reply, re.S), user_said=user_said) == expected


def test_the_first_sentence_goes_out_at_its_exclamation_mark() -> None:
    voice = VoiceGuard()
    assert voice.feed("That's") == ""
    assert voice.feed(" great!") == "That's great!"  # before the next word has come
    assert voice.feed(" Take") == ""  # later sentences wait for their end as before
    assert voice.feed(" a break!") == ""
    assert voice.feed(" How") == " Take a break! "
    assert voice.finish() == "How"


def test_an_early_first_sentence_is_still_judged() -> None:
    voice = VoiceGuard()
    assert voice.feed("Sure!") == ""  # a lone stock interjection, dropped at once
    assert voice.feed(" Is that") == ""
    assert voice.feed(" so?") == "Is that so?"  # the next one is now the first
    assert voice.feed("!") == ""  # what follows is held as usual, and kept
    assert voice.finish() == "!"


def test_a_dropped_sentence_after_an_early_one_keeps_the_space() -> None:
    voice = VoiceGuard()
    shown = voice.feed("That's exciting!")
    shown += voice.feed(" Is there anything else you'd like? What")
    shown += voice.feed(" do you want?") + voice.finish()
    assert shown == "That's exciting! What do you want?"


@pytest.mark.parametrize(
    ("ack", "model", "said"),
    [
        ("Oh.", "Oh no! That sounds hard. What happened?", "Oh. That sounds hard. What happened?"),
        ("Oh.", "Oh, that sounds like a lot.", "Oh. That sounds like a lot."),
        ("Oh.", "Ohio is far. Oh, and cold.", "Oh. Ohio is far. Oh, and cold."),
        ("Well.", "Well, it depends. Well, maybe.", "Well. It depends. Well, maybe."),
        (
            "Okay.",
            "Okay! Here's one: a folder called Tuesday.",
            "Okay. Here's one: a folder called Tuesday.",
        ),
        ("Oh.", "As an AI, I can't. Oh, but I'd love to.", "Oh. I'd love to."),
        (
            "Oh.",
            "Oh, that sounds like a lot, really. Oh, and more.",
            "Oh. That sounds like a lot, really. Oh, and more.",
        ),
    ],
)
def test_after_our_small_word_the_model_does_not_say_it_again(
    ack: str, model: str, said: str
) -> None:
    for chunks in CHUNKINGS.values():
        voice = VoiceGuard(ack, acknowledged=ack)
        "".join(voice.feed(chunk) for chunk in chunks(model)) + voice.finish()
        assert voice.emitted.strip() == said


def test_after_our_small_word_the_models_first_sentence_still_goes_out_early() -> None:
    voice = VoiceGuard("Oh.", acknowledged="Oh.")
    assert [voice.feed(t) for t in ["That", " sounds", " great", "!"]][-1] == "That sounds great!"
    voice = VoiceGuard("Oh.", acknowledged="Oh.")
    shown = [voice.feed(t) for t in ["That", " sounds", " like", " a", " lot", ",", " really"]]
    assert shown[-1] == "That sounds like a lot, "  # at its comma, as a reply's first words
