"""Skills: one module per capability, each a typed function with a risk level."""

from __future__ import annotations

from collections.abc import Iterator

from os1.skills.base import Proposal, Risk, Skill, SkillContext, SkillResult, skill


class Skills:
    """The skills OS1 can use; built once in the composition root."""

    def __init__(self, skills: list[Skill] | None = None) -> None:
        self._skills: dict[str, Skill] = {}
        for item in skills or []:
            self.add(item)

    def add(self, item: Skill) -> None:
        if item.name in self._skills:
            raise ValueError(f"two skills are called {item.name}")
        self._skills[item.name] = item

    def get(self, name: str) -> Skill | None:
        return self._skills.get(name)

    def matching(self, text: str) -> list[Skill]:
        """Skills whose triggers fit the user's words: the candidates worth routing."""
        return [s for s in self._skills.values() if s.matches(text)]

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills.values())


__all__ = ["Proposal", "Risk", "Skill", "SkillContext", "SkillResult", "Skills", "skill"]
