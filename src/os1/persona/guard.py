"""Keeps the streamed reply in OS1's voice, one sentence at a time.

Small models slip into help-desk habits that no prompt fully stops ("As an AI
language model...", "feel free to ask", bullet lists, markdown), and mix up names.
Each sentence is held until it ends, then dropped if it is one of those habits, and
cleaned otherwise. A sentence that runs on past a limit streams through unjudged,
so a long sentence never stalls the reply. The reply's opening clause ("Oh no, that
sounds...") goes out at its comma when it is plainly OS1's own words: the first words
come sooner, and the rest of that sentence is judged on its own. Its first sentence is
judged as soon as it ends in "!" or "?" ("That's great!"), without waiting for the next
word to show that nothing ("!", a closing quote) follows: that is one token sooner.
After our own small first word ("Oh.", acknowledgement.py) the model's first sentence is
still the reply's start, and does not say that word again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from os1.text import KIN, ends_exclaimed_or_asked, first_clause_end

BANNED = re.compile(
    r"\b(as an? (ai|artificial intelligence|language model|computer program|virtual assistant"
    r"|digital assistant|assistant)"
    r"|(i am|i'm) (just |only |merely |simply )?(an? )?(ai|artificial intelligence|computer program"
    r"|language model|virtual assistant|chatbot|machine|program|assistant)\b"
    r"|language model"
    r"|(i|i'm|i am) (don't|do not|can't|cannot|am not able to|not able to|unable to) "
    r"(really )?(have|experience|feel) (personal |real |any )?(feelings|emotions|preferences"
    r"|opinions|experiences)"
    r"|(created|developed|trained|made|built) by (openai|alibaba|anthropic|google|meta)"
    r"|\bqwen\b|how (can|may) i (assist|help)|here to help|assist you|happy to help"
    r"|(anything|something) (else )?(i can|you'?d like me to)|let me know if|feel free to"
    r"|(anything|something) else (that )?you(?:'?d| would) like"
    r"|don'?t hesitate|glad i could help"
    r"|talk about (anything|something) else|any (other|more) questions"  # changing the subject
    r"|what else (do |would )?you(?:'?d| would)? (want|like) to talk about"
    r"|as a computer|(can'?t|cannot|am unable to|i'?m unable to) (help|assist)( you)? with th"
    r"|i'?m sorry,? but i (can'?t|cannot|am unable))"
    r"|[\[\]]",  # OS1's own memory lines, echoed back
    re.IGNORECASE,
)
# A stock opener ("Sure! ...") is dropped, and the rest of the sentence kept.
_INTERJECTION = re.compile(
    r"^(\s*)(sure|certainly|absolutely|of course|great question)[!.,]\s+(?=\S)", re.IGNORECASE
)
# Lecturing openers: a friend doesn't tell you what is important to remember.
_LECTURE = re.compile(
    r"^\s*([\w' ]{1,20}, |(and|but|so|also) )?"
    r"((it'?s|it is) (always )?(important|essential|crucial|a good idea)"
    r"|(remember|don'?t forget)( that|,| to)|(make sure|try) to take care)",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"^(\s*)(but|and|so|also|however),?\s+(?=\w)", re.IGNORECASE)
_LONE_INTERJECTION = re.compile(
    r"^\s*(sure|certainly|absolutely|of course|great question)\s*[!.,]?\s*$", re.IGNORECASE
)
_INLINE_MARKUP = re.compile(r"\*\*|__|`|#\w+")
_LINE_MARKER = re.compile(r"^\s*(?:#{1,6}|[-*•]|\d{1,2}[.)])\s+")
# A sentence ends at punctuation (and any closing quotes) followed by space, or at a
# newline. While streaming, the space must have arrived: a ")" may still be coming.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n")
_LIST_NUMBER = re.compile(r"(?:^|\n)\s*\d{1,2}$")
# Openings whose sentence may yet turn into a habit ("I'm sorry, but as an AI..."):
# they wait for the whole sentence.
_WAIT_FOR_SENTENCE = re.compile(
    r"^\s*(sure|certainly|absolutely|of course|great question|well|so|but|and|sorry"
    r"|i'?m sorry|i am sorry|unfortunately|as an?|i'?m (just |only )?an?|i am (just )?an?"
    r"|remember|don'?t forget|it'?s (important|essential|crucial)|here('s| is| are))\b",
    re.IGNORECASE,
)
_HOLD_LIMIT = 160


class VoiceGuard:
    """Feed it streamed text; it returns what may be shown now."""

    def __init__(
        self,
        opening: str = "",
        *,
        own_name: str = "",
        user_name: str = "",
        said_before: Iterable[str] = (),
        user_said: str = "",
        acknowledged: str = "",
    ) -> None:
        self._pending = ""
        # Sentences OS1 said in recent replies: a small model loops on its own phrases.
        self._said = {_key(s) for text in said_before for s in _sentences(text)} - {""}
        self._open = False  # a long sentence already streaming, unjudged
        # Words already said for the model (a prefilled opening it continues).
        self.emitted = f"{opening} " if opening else ""
        self._vocative = (
            re.compile(rf"(,\s*|^\s*){re.escape(own_name)}\b(?=\s*[,.!?])")
            if own_name and user_name and own_name != user_name
            else None
        )
        self._user = user_name
        # After our own "Oh." the model's first sentence does not say it again ("Oh no, ...").
        self._acknowledged = acknowledged.strip()
        word = acknowledged.strip(" .").lower()
        self._echo = (
            re.compile(rf"^(\s*){re.escape(word)}\b(\s+no\b)?[\s,.!?…]*", re.IGNORECASE)
            if word
            else None
        )
        # "My sister Ines lives in Lisbon." answering "Where does my sister live?": the
        # small model echoes the user's words; OS1 has no sister. Only a sentence that
        # opens so, and only for people the user just called theirs.
        kin = {m[1].lower() for m in re.finditer(rf"\bmy {KIN.pattern}", user_said, re.I)}
        self._their = (
            re.compile(rf"^(\s*)My ({'|'.join(map(re.escape, sorted(kin)))})\b", re.I)
            if kin
            else None
        )

    def feed(self, text: str) -> str:
        self._pending += text
        # Emitted at once: what follows in this same piece is no longer the reply's start.
        opening = "" if self._open or self._model_said() else self._emit(self._opening_clause())
        out = []
        while (end := _sentence_end(self._pending)) is not None:
            sentence, self._pending = self._pending[:end], self._pending[end:]
            out.append(sentence if self._open else self._judge(sentence))
            self._open = False
        if not (self._open or self._model_said() or "".join(out).strip()) and (
            ends_exclaimed_or_asked(self._pending)
        ):
            out.append(self._judge(self._pending))
            self._pending = ""
        if self._open or len(self._pending) > _HOLD_LIMIT:
            out.append(self._pending)
            self._pending, self._open = "", True
        return opening + self._emit("".join(out))

    def finish(self) -> str:
        """Whatever is still held, judged as a complete sentence."""
        rest, self._pending = self._pending, ""
        return self._emit(rest if self._open else self._judge(rest))

    def _model_said(self) -> bool:
        """Whether the reply has words beyond our own small first word ("Oh."): until
        then the model's first sentence is the reply's start, let out as soon as it can be."""
        return self.emitted.strip() not in ("", self._acknowledged)

    def _opening_clause(self) -> str:
        """The reply's first clause, taken from what is held, when it may go out before
        its sentence ends: three words or more, nothing that could open a habit, and
        nothing the judge would change."""
        end = first_clause_end(self._pending, _sentence_end(self._pending))
        if end is None:
            return ""
        clause = self._pending[:end]
        if _WAIT_FOR_SENTENCE.match(clause):
            return ""
        if self._judge(clause) != clause or "\n" in clause:
            return ""
        self._pending = self._pending[end:]
        return clause

    def _judge(self, sentence: str) -> str:
        if (
            BANNED.search(sentence)
            or _LONE_INTERJECTION.match(sentence)
            or _LECTURE.match(sentence)
            or _key(sentence) in self._said
        ):
            return ""
        trimmed = _INTERJECTION.sub(r"\1", sentence)
        if self._echo is not None and not self._model_said():  # its first sentence only
            trimmed = self._echo.sub(r"\1", trimmed, count=1)
            if not trimmed.strip():
                return ""  # "Oh no!" after "Oh.": nothing left to say
        if trimmed != sentence:
            trimmed = _capitalised(trimmed)
        if not self._model_said() and _CONJUNCTION.match(trimmed):
            # A reply does not open with "But ..." (left when its first sentence was dropped).
            trimmed = _capitalised(_CONJUNCTION.sub(lambda m: m.group(1), trimmed))
        if self._vocative is not None:  # "Goodnight, Ruth!" said to Theo
            trimmed = self._vocative.sub(lambda m: m.group(1) + self._user, trimmed)
        if self._their is not None:
            trimmed = self._their.sub(lambda m: f"{m.group(1)}Your {m.group(2)}", trimmed)
        return trimmed

    def _emit(self, text: str) -> str:
        text = _INLINE_MARKUP.sub("", text)
        at_line_start = not self.emitted or self.emitted.endswith("\n")
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i > 0 or at_line_start:
                lines[i] = _LINE_MARKER.sub("", line)
        text = "\n".join(lines)
        if not self.emitted.strip():
            text = text.lstrip()
        elif self.emitted.endswith(" "):
            text = text.lstrip(" ")
        elif ends_exclaimed_or_asked(self.emitted) and text[:1].isalnum():
            # After a first sentence let out at its "!" or "?", the space that followed
            # left with the next sentence if that one was dropped.
            text = " " + text
        self.emitted += text
        return text


def _sentence_end(text: str) -> int | None:
    """Where the first complete sentence of `text` ends, if one has."""
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _LIST_NUMBER.search(text, 0, match.start()):
            continue  # "1. " opens a list item; it does not end a sentence
        return match.end()
    return None


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+|\n+", text) if s.strip()]


def _key(sentence: str) -> str:
    """A sentence reduced to its words; short ones ("Oh no.", "How about you?") may repeat."""
    words = re.findall(r"[a-z0-9']+", sentence.lower())
    return " ".join(words) if len(words) >= 4 else ""


def _capitalised(text: str) -> str:
    """`text` with its first non-space character in upper case."""
    lead = len(text) - len(text.lstrip())
    return text[:lead] + text[lead : lead + 1].upper() + text[lead + 1 :]
