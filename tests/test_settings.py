"""load_settings: the layers, where each value came from, and the errors a user can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.errors import ConfigError
from os1.settings import DEFAULT_MODEL, load_settings


def _env(home: Path, **extra: str) -> dict[str, str]:
    return {"OS1_HOME": str(home), **extra}


def _config(home: Path, text: str, name: str = "config.toml") -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_configured(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path))
    assert settings.home == tmp_path
    assert settings.model == DEFAULT_MODEL == "qwen-1.5b"
    assert settings.context_tokens == 8192
    assert settings.parallel_slots == 2
    assert settings.base_url == ""
    assert settings.uses_remote is False
    assert settings.model_cache_dir == tmp_path / "models"
    assert settings.db_path == tmp_path / "os1.sqlite3"
    assert dict(settings.sources) == {"home": "OS1_HOME"}


def test_home_flag_beats_os1_home(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path / "env"), {"home": tmp_path / "flag"})
    assert settings.home == tmp_path / "flag"
    assert settings.sources["home"] == "--home"


def test_config_file_overrides_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path, 'model = "qwen-0.5b"\nthreads = 3\n')
    settings = load_settings(_env(tmp_path))
    assert (settings.model, settings.threads) == ("qwen-0.5b", 3)
    assert settings.sources["model"] == str(config)
    assert settings.sources["threads"] == str(config)
    assert "context_tokens" not in settings.sources  # still the default


def test_environment_overrides_config_file(tmp_path: Path) -> None:
    config = _config(tmp_path, 'model = "qwen-0.5b"\nthreads = 3\n')
    settings = load_settings(_env(tmp_path, OS1_MODEL="smollm2"))
    assert settings.model == "smollm2"
    assert settings.sources["model"] == "OS1_MODEL"
    assert settings.threads == 3
    assert settings.sources["threads"] == str(config)


def test_flags_override_environment(tmp_path: Path) -> None:
    _config(tmp_path, 'model = "qwen-0.5b"\n')
    settings = load_settings(
        _env(tmp_path, OS1_MODEL="smollm2", OS1_CONTEXT_TOKENS="4096"),
        {"model": "qwen-1.5b", "context_tokens": None},  # None means "flag not given"
    )
    assert settings.model == "qwen-1.5b"
    assert settings.sources["model"] == "--model"
    assert settings.context_tokens == 4096
    assert settings.sources["context_tokens"] == "OS1_CONTEXT_TOKENS"


def test_flag_source_names_the_dashed_option(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path), {"parallel_slots": 4})
    assert settings.parallel_slots == 4
    assert settings.sources["parallel_slots"] == "--parallel-slots"


def test_empty_environment_variable_is_ignored(tmp_path: Path) -> None:
    _config(tmp_path, 'model = "qwen-0.5b"\n')
    settings = load_settings(_env(tmp_path, OS1_MODEL=""))
    assert settings.model == "qwen-0.5b"


def test_environment_numbers_are_parsed(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path, OS1_THREADS=" 6 "))
    assert settings.threads == 6


def test_secrets_file_supplies_api_key(tmp_path: Path) -> None:
    secrets = _config(tmp_path, 'api_key = "sk-secret"\n', "secrets.toml")
    secrets.chmod(0o600)
    settings = load_settings(_env(tmp_path))
    assert settings.api_key == "sk-secret"
    assert settings.sources["api_key"] == str(secrets)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_secrets_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    secrets = _config(tmp_path, 'api_key = "sk-secret"\n', "secrets.toml")
    secrets.chmod(mode)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env(tmp_path))
    assert str(secrets) in str(caught.value)
    assert f"chmod 600 {secrets}" in str(caught.value)


def test_unknown_key_names_it_and_lists_the_known_ones(tmp_path: Path) -> None:
    config = _config(tmp_path, 'modle = "qwen-0.5b"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(_env(tmp_path))
    message = str(caught.value)
    assert "'modle'" in message
    assert str(config) in message
    assert "Known settings: api_key, base_url, context_tokens" in message


def test_unknown_flag_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Unknown setting 'colour' in flag"):
        load_settings(_env(tmp_path), {"colour": "blue"})


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('threads = "many"', "threads must be a whole number, got 'many'"),
        ("threads = true", "threads must be a whole number, got True"),
        ("context_tokens = 2.5", "context_tokens must be a whole number, got 2.5"),
        ("parallel_slots = 0", "parallel_slots must be at least 1, got 0"),
        ("threads = -2", "threads must be at least 1, got -2"),
        ("model = 3", "model must be text, got 3"),
        ('base_url = ["http://localhost"]', "base_url must be text"),
    ],
)
def test_bad_types_say_which_setting_and_where(tmp_path: Path, line: str, expected: str) -> None:
    config = _config(tmp_path, line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env(tmp_path))
    assert expected in str(caught.value)
    assert str(config) in str(caught.value)


def test_bad_environment_value_names_the_variable_source(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"threads must be a whole number, got 'lots' \(env\)"):
        load_settings(_env(tmp_path, OS1_THREADS="lots"))


def test_models_dir_must_be_text(tmp_path: Path) -> None:
    _config(tmp_path, "models_dir = 5\n")
    with pytest.raises(ConfigError, match="models_dir"):
        load_settings(_env(tmp_path))


def test_models_dir_expands_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    settings = load_settings(_env(tmp_path, OS1_MODELS_DIR="~/models"))
    assert settings.models_dir == tmp_path / "user" / "models"
    assert settings.model_cache_dir == tmp_path / "user" / "models"
    assert settings.sources["models_dir"] == "OS1_MODELS_DIR"


def test_malformed_toml_is_a_config_error(tmp_path: Path) -> None:
    config = _config(tmp_path, "threads = [\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env(tmp_path))
    assert f"{config} is not valid TOML" in str(caught.value)
    assert "Fix it or delete it." in str(caught.value)
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize("url", ["ftp://example.com", "localhost:8080", "file:///tmp/x"])
def test_base_url_must_be_http(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="base_url must start with http:// or https://"):
        load_settings(_env(tmp_path, OS1_BASE_URL=url))


@pytest.mark.parametrize("url", ["http://localhost:8080/v1", "https://example.com/v1"])
def test_http_base_url_is_accepted(tmp_path: Path, url: str) -> None:
    settings = load_settings(_env(tmp_path, OS1_BASE_URL=url))
    assert settings.base_url == url
    assert settings.uses_remote is True


def test_unknown_model_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env(tmp_path, OS1_MODEL="gpt-4"))
    message = str(caught.value)
    assert "Unknown model 'gpt-4'" in message
    assert "qwen-1.5b, qwen-0.5b, smollm2" in message
    assert ".gguf" in message


@pytest.mark.parametrize("model", ["qwen-1.5b", "qwen-0.5b", "smollm2", "/models/mine.gguf"])
def test_known_models_and_gguf_paths_are_accepted(tmp_path: Path, model: str) -> None:
    assert load_settings(_env(tmp_path, OS1_MODEL=model)).model == model


@pytest.mark.parametrize(
    ("env", "country"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "pt_BR.UTF-8"}, "BR"),
        ({"LANG": "sr_RS@latin"}, "RS"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "de_DE.UTF-8"}, "DE"),
        ({"LANG": "C.UTF-8"}, ""),
        ({}, ""),
    ],
)
def test_crisis_country_from_locale(tmp_path: Path, env: dict[str, str], country: str) -> None:
    settings = load_settings(_env(tmp_path, **env))
    assert settings.crisis_country == country
    assert settings.sources.get("crisis_country") == ("locale" if country else None)


def test_crisis_country_setting_beats_locale(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path, LANG="en_US.UTF-8", OS1_CRISIS_COUNTRY="IE"))
    assert settings.crisis_country == "IE"
    assert settings.sources["crisis_country"] == "OS1_CRISIS_COUNTRY"


def test_shown_hides_the_api_key(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path, OS1_API_KEY="sk-very-secret"))
    rows = {name: (value, source) for name, value, source in settings.shown()}
    assert rows["api_key"] == ("set (hidden)", "OS1_API_KEY")
    assert all("sk-very-secret" not in value for _, value, _ in settings.shown())
    assert rows["home"] == (str(tmp_path), "OS1_HOME")
    assert rows["models_dir"] == (str(tmp_path / "models"), "default")
    assert "sources" not in rows


def test_shown_leaves_an_unset_api_key_empty(tmp_path: Path) -> None:
    rows = {name: value for name, value, _ in load_settings(_env(tmp_path)).shown()}
    assert rows["api_key"] == ""


def test_default_environment_is_os_environ(hermetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OS1_MODEL", "smollm2")
    settings = load_settings()
    assert settings.home == hermetic
    assert settings.model == "smollm2"
    assert settings.crisis_country == "US"  # conftest sets LANG=en_US.UTF-8
