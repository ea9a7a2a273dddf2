from __future__ import annotations

from pathlib import Path

import pytest

from os1.mind.assemble import resolve_model


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def tiny_model(models_dir: Path) -> Path:
    """The packaged SmolLM2 through the real loader (hash-verified in place)."""
    return resolve_model("smollm2", models_dir).path
