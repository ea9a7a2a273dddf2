"""The shared model's slots: many conversations, each kept on a slot while it talks."""

from __future__ import annotations

from os1.mind.llamacpp import _SlotMap


def test_a_new_conversation_takes_an_idle_slot_not_a_busy_one() -> None:
    slots = _SlotMap(2)
    assert slots.slot_for("thread:1") == (0, True)  # busy: answering
    assert slots.slot_for("thread:2") == (1, True)
    slots.release(1)  # thread 2 has finished its reply
    # thread 1 is the least recently used, but still answering: thread 3 takes slot 1.
    assert slots.slot_for("thread:3") == (1, True)
    slots.release(1)
    slots.release(0)
    assert slots.slot_for("thread:1") == (0, False)  # its cached prompt is still there
    slots.release(0)


def test_when_every_slot_is_busy_the_least_recently_used_is_shared() -> None:
    slots = _SlotMap(2)
    slots.slot_for("a")
    slots.slot_for("b")
    assert slots.slot_for("c") == (0, True)  # the engine queues it behind "a"
    for slot in (0, 1, 0):
        slots.release(slot)
    assert slots.slot_for("b") == (1, False)
