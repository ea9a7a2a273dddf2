"""What the model writes about mail: thread summaries, and replies in the user's voice.

The emails are quoted data (os1.mail.quote); the model is told what to write, never
asked what to do, and its output is only ever text shown to the user.
"""

from __future__ import annotations

from os1.mail.quote import data_rule, quote_mail
from os1.mail.store import MailRow
from os1.mind.base import GenerationOptions, Message, Mind
from os1.mind.structured import collect, generate_json

_SUMMARY = GenerationOptions(max_tokens=160, temperature=0.2, cache_key="background")
_DRAFT = GenerationOptions(max_tokens=400, temperature=0.6, cache_key="background")
_THREAD_MESSAGES = 6


async def summarize_thread(mind: Mind, rows: list[MailRow], user: str) -> str:
    """Two or three sentences on what a thread is about and what it wants of the user."""
    shown = rows[-_THREAD_MESSAGES:]
    quoted = "\n\n".join(quote_mail(r, 1200) for r in shown)
    earlier = (
        f"({len(rows) - len(shown)} earlier emails not shown.)\n" if len(rows) > len(shown) else ""
    )
    messages = [
        Message(
            "system",
            f"You summarise email threads for {user}. {data_rule(user)} Write two or three "
            f"plain sentences: who wrote, what it is about, and whether {user} needs to do "
            "anything. No lists, no advice.",
        ),
        Message("user", f"{earlier}{quoted}\n\nSummarise this thread for {user}."),
    ]
    text = await collect(mind, messages, _SUMMARY)
    return " ".join(text.split())[:800]


_DRAFT_SCHEMA = {
    "type": "object",
    "properties": {"body": {"type": "string", "minLength": 1, "maxLength": 2500}},
    "required": ["body"],
}


async def draft_reply(
    mind: Mind, row: MailRow, user: str, wants: str, own_writing: list[str]
) -> str:
    """The body of a reply, written as the user would write it."""
    examples = "\n\n".join(f"---\n{text[:600]}" for text in own_writing[:3])
    voice = (
        f"Here is how {user} writes emails; match the tone, length and sign-off:\n{examples}\n---"
        if examples
        else f"Write as {user} would: warm, plain and short, signed {user}."
    )
    messages = [
        Message(
            "system",
            f"You write email replies for {user}, as {user}, in first person. {data_rule(user)} "
            f"{voice} Write only the body of the reply: no subject line, no notes to {user}.",
        ),
        Message(
            "user",
            f"The email {user} is answering:\n{quote_mail(row, 2000)}\n\n"
            f"What {user} wants to say: {wants or 'a short, friendly reply'}",
        ),
    ]
    answer = await generate_json(mind, messages, _DRAFT_SCHEMA, _DRAFT)
    body = str(answer["body"]).strip()
    first = user.split()[0] if user else ""
    if first and first.lower() not in body[-60:].lower():
        body += f"\n\n{first}"
    return body
