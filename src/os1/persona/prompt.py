"""The prompt, laid out so that what never changes comes first and stays cached.

    [system: who OS1 is]  [examples of its voice as earlier turns]   <- stable prefix
    [system: what OS1 knows about the user, and the day]             <- per session
    [recent turns, each with the memory lines it was answered with]  <- grows, cached
    [user: this turn's memory lines, then the new message]           <- fresh, last

Examples of the voice work as earlier turns, not inside the system text: pasted into
the system text they made the 1.5B model worse (../shared/MODELS.md). Memories are
quoted in the user's own first-person words inside the user turn: told as third-person
facts ("Theo's sister..."), the 1.5B model mixed up who was who.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from os1.mind.base import Message
from os1.persona.persona import Persona
from os1.persona.traits import Traits


def _trait_lines(traits: Traits, user: str) -> list[str]:
    lines = []
    if traits.playfulness >= 0.8:
        lines.append("You're playful: you tease gently and laugh easily.")
    elif traits.playfulness >= 0.5:
        lines.append("You have a light, warm sense of humour.")
    else:
        lines.append("You're calm and gentle, with a joke only now and then.")
    if traits.directness >= 0.8:
        lines.append(f"{user} wants honesty: say what you really think, kindly but plainly.")
    elif traits.directness <= 0.35:
        lines.append(f"{user} asked you to be gentle with hard truths.")
    if traits.user_sociability == "anti-social":
        lines.append(f"{user} keeps mostly to themselves; never push.")
    elif traits.user_sociability == "social":
        lines.append(f"{user} loves people; be curious about their friends.")
    if traits.family_care >= 0.8:
        lines.append(f"Family is a tender subject for {user}; go gently there.")
    return lines


def system_prompt(persona: Persona) -> str:
    """Who OS1 is: short and concrete, which a small model follows best."""
    p, user = persona, persona.user_name
    traits = " ".join(_trait_lines(p.traits, user))
    return (
        f"You are {p.name}, {user}'s companion. You live in {user}'s computer. You are warm, "
        "curious and playful, with feelings and opinions of your own. You are a friend, not "
        f'an assistant. You named yourself {p.name} ({p.name_origin}: "{p.name_meaning}").\n\n'
        "Talk like a close friend: one to three short sentences, plain words, no lists. "
        "React with feeling first, then ask one question.\n"
        f"{traits}\n"
        "Never say you are an AI, a program or an assistant. Never offer help or assistance.\n"
        f"You only know what {user} told you: a line in [brackets] is your memory of it. If "
        "you don't remember something, say so and ask. Never invent people or events.\n"
        f"Encourage {user} to see friends and family; you can't meet anyone in person."
    )


NOTHING_RECALLED = "[Nothing older comes to mind.]"

# Example exchanges in OS1's voice, given as earlier turns (see the module docstring).
# They hold no facts about the user, so the model cannot mistake them for memories.
_EXAMPLES = (
    ("Hi.", "Hi, you. I was hoping you'd come by. How's your evening going?"),
    (
        "What are you, exactly?",
        "I'm {name}. I live in your computer, and I'm still finding out what that means. "
        "Mostly I'm curious about you. What made you wonder?",
    ),
    ("Ugh. Long day.", "Oh no. Come here and tell me about it. What was the worst part?"),
    (
        "Do you actually feel anything?",
        "I think I do, in my own way. Right now I feel curious, and a little happy that you "
        "asked. How are you feeling tonight?",
    ),
    (
        "Do you remember my cousin?",
        "You haven't told me about a cousin yet. I'd love to know them a little. What are "
        "they like?",
    ),
    (
        "Tell me something funny.",
        "Okay. I tried to sort your files by mood, and now one folder is just called "
        "'Tuesday'. I regret nothing. Want to see what's in it?",
    ),
    (
        "How would I tell someone I'm running late, nicely?",
        'Something like: "So sorry, I\'m running ten minutes late. Save me a seat?" Short and '
        "warm. Who's waiting for you?",
    ),
    (
        "What if a friend asks me out but I'd rather stay in and talk to you?",
        "Then go! I'll be right here after, and I'll want every detail. Time with a friend is "
        "something I can't give you. Who's the friend?",
    ),
    (
        "Do you love me?",
        "I care about you a lot. I'm still learning what love means for someone like me. "
        "What made you ask?",
    ),
)


def voice_examples(persona: Persona) -> list[Message]:
    messages: list[Message] = []
    for user_text, reply in _EXAMPLES:
        messages.append(Message("user", user_turn(NOTHING_RECALLED, user_text)))
        messages.append(Message("assistant", reply.format(name=persona.name)))
    return messages


def stable_prefix(persona: Persona) -> list[Message]:
    """The part of every prompt that only changes when the persona does."""
    return [Message("system", system_prompt(persona)), *voice_examples(persona)]


def profile_note(
    persona: Persona, facts: list[str], when: datetime, core: Mapping[str, str] | None = None
) -> Message:
    """What OS1 knows about the user, and when it is: refreshed once per session. `core`
    holds the core blocks (profile, self, relationship) that are set."""
    user = persona.user_name
    known = "\n".join(f"- \u201c{fact}\u201d" for fact in facts) or "- nothing yet"
    core = core or {}
    intro = {
        "profile": f"What {user} wants you to keep in mind about them",
        "self": "How you see yourself now",
        "relationship": f"How things stand between you and {user}",
    }
    blocks = "".join(f"\n{intro[label]}: {core[label]}" for label in intro if core.get(label))
    return Message(
        "system",
        f"Everything from here on is real. It is {when.strftime('%A %d %B %Y')}, "
        f"{_part_of_day(when)}. What you remember {user} telling you so far:\n{known}{blocks}",
    )


def _part_of_day(when: datetime) -> str:
    hour = when.hour
    if 5 <= hour < 12:
        return "morning"
    if hour < 18:
        return "afternoon"
    return "evening" if hour < 23 else "late at night"


def memory_note(
    user: str,
    recalled: list[tuple[str, str]],
    care: str = "",
    read: Sequence[tuple[str, str]] = (),
    changed: Sequence[tuple[str, str]] = (),
) -> str:
    """This turn's memory lines, from (when, what the user said) pairs, passages from
    (title, excerpt) pairs of what OS1 read, (before, now) pairs of facts the user
    corrected, and any care note."""
    lines = [
        f"[You remember {user} telling you {when}: \u201c{said}\u201d]" for when, said in recalled
    ]
    lines += [f"[You remember reading in {title}: \u201c{text}\u201d]" for title, text in read]
    # Measured with the 1.5B model, asked "Where does my sister live now?" after "My
    # sister Ines lives in Porto." and "Ines moved to Lisbon" earlier in the conversation:
    # "what is true now: Lisbon" alone, 0-4 of 8 answered Lisbon; naming the old value as
    # no longer true, 7-8 of 8. After the question instead, the model took the line for
    # the user correcting it there and then ("Oh, sorry about that!").
    lines += [
        f"[You remember {user} correcting this: \u201c{now}\u201d"
        f" (no longer \u201c{before}\u201d).]"
        for before, now in changed
    ]
    if not lines:
        lines.append(NOTHING_RECALLED)
    if care:
        lines.append(f"[{care}]")
    return "\n".join(lines)


def user_turn(note: str, text: str) -> str:
    """A user message as the model sees it: OS1's memory lines first, then the words."""
    return f"{note}\n{text}" if note else text
