"""Typed settings, resolved once: defaults < config file < OS1_* environment < CLI flags.

Everything OS1 writes lives under one data directory (`home`); `OS1_HOME` moves it,
which is also what makes the tests hermetic.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from os1.errors import ConfigError

MODEL_NAMES = ("qwen-1.5b", "qwen-0.5b", "smollm2")
DEFAULT_MODEL = "qwen-1.5b"

# setting name -> (environment variable, type)
_ENV: dict[str, tuple[str, type]] = {
    "model": ("OS1_MODEL", str),
    "models_dir": ("OS1_MODELS_DIR", Path),
    "threads": ("OS1_THREADS", int),
    "context_tokens": ("OS1_CONTEXT_TOKENS", int),
    "parallel_slots": ("OS1_PARALLEL_SLOTS", int),
    "base_url": ("OS1_BASE_URL", str),
    "api_key": ("OS1_API_KEY", str),
    "remote_model": ("OS1_REMOTE_MODEL", str),
    "crisis_country": ("OS1_CRISIS_COUNTRY", str),
    "stt_model": ("OS1_STT_MODEL", str),
    "tts": ("OS1_TTS", str),
    "server_slots": ("OS1_SERVER_SLOTS", int),
    # issue 7: when OS1 keeps urgent news to itself ("22:00-07:00"), how often chat syncs mail
    "quiet_hours": ("OS1_QUIET_HOURS", str),
    "mail_sync_minutes": ("OS1_MAIL_SYNC_MINUTES", int),
    # issue 9: music
    "soundfont": ("OS1_SOUNDFONT", Path),
    "sound_device": ("OS1_SOUND_DEVICE", str),
    # issue 8: the handwriting font, the book's font (files; default: Debian's), its title
    "letter_font": ("OS1_LETTER_FONT", Path),
    "letter_book_font": ("OS1_BOOK_FONT", Path),
    "letter_book_title": ("OS1_BOOK_TITLE", str),
}
STT_CHOICES = ("base", "tiny.en")
TTS_CHOICES = ("auto", "piper", "espeak")
_SECRETS = ("api_key",)


def default_home(env: Mapping[str, str]) -> Path:
    """Where OS1 keeps its state when OS1_HOME is not set (XDG data directory)."""
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path(env.get("HOME", str(Path.home()))) / ".local" / "share"
    return base / "os1"


def _country_from_locale(env: Mapping[str, str]) -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if "_" in value:
            return value.split("_", 1)[1][:2].upper()
    return ""


@dataclass(frozen=True)
class Settings:
    home: Path
    model: str = DEFAULT_MODEL
    models_dir: Path | None = None
    threads: int = field(default_factory=lambda: max(1, min(os.cpu_count() or 2, 8)))
    context_tokens: int = 8192
    parallel_slots: int = 2
    base_url: str = ""
    api_key: str = ""
    remote_model: str = ""
    crisis_country: str = ""
    stt_model: str = "base"  # speech-to-text: Whisper base, or tiny.en (faster)
    tts: str = "auto"  # text-to-speech: Piper's joe voice, or espeak-ng
    # `os1 serve`: parallel slots of the one shared model (conversations decoded together).
    server_slots: int = 8
    quiet_hours: str = ""
    mail_sync_minutes: int = 10
    soundfont: Path | None = None  # None: the General MIDI soundfont from fluid-soundfont-gm
    sound_device: str = ""  # '': find the speakers; an ALSA device name; or 'none'
    letter_font: Path | None = None
    letter_book_font: Path | None = None
    letter_book_title: str = "Letters from Your Life"
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def db_path(self) -> Path:
        return self.home / "os1.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    @property
    def secrets_path(self) -> Path:
        return self.home / "secrets.toml"

    @property
    def model_cache_dir(self) -> Path:
        return self.models_dir or self.home / "models"

    @property
    def mail_accounts_path(self) -> Path:
        """Mail accounts and their app passwords: a file only the user can read."""
        return self.home / "mail-accounts.toml"

    @property
    def music_dir(self) -> Path:
        return self.home / "music"

    @property
    def book_manifest_path(self) -> Path:
        """What `os1 book build` made last, for `os1 book send`."""
        return self.home / "book" / "last.json"

    @property
    def log_path(self) -> Path:
        return self.home / "os1.log"

    @property
    def uses_remote(self) -> bool:
        return bool(self.base_url)

    def shown(self) -> list[tuple[str, str, str]]:
        """(name, value, source) rows for `os1 config show`; secrets are masked."""
        rows = [("home", str(self.home), self.sources.get("home", "default"))]
        for f in fields(self):
            if f.name in ("home", "sources"):
                continue
            value = getattr(self, f.name)
            if f.name == "models_dir":
                value = self.model_cache_dir
            text = "" if value is None else str(value)
            if f.name in _SECRETS and text:
                text = "set (hidden)"
            rows.append((f.name, text, self.sources.get(f.name, "default")))
        return rows


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}).", "Fix it or delete it.") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.", "Check its permissions.") from exc


def _coerce(name: str, raw: object, kind: type, source: str) -> object:
    if kind is int:
        try:
            value = int(str(raw))
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, got {raw!r} ({source}).") from None
        if value < 1:
            raise ConfigError(f"{name} must be at least 1, got {value} ({source}).")
        return value
    if kind is Path:
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError(f"{name} must be a folder path, got {raw!r} ({source}).")
        return Path(raw).expanduser()
    if not isinstance(raw, str):
        raise ConfigError(f"{name} must be text, got {raw!r} ({source}).")
    return raw.strip()


def _check_secrets_file(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} can be read by other users.", f"Run: chmod 600 {path}")


def load_settings(
    env: Mapping[str, str] | None = None, flags: Mapping[str, object] | None = None
) -> Settings:
    """Resolve settings from every layer, recording where each value came from."""
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    sources: dict[str, str] = {}

    if "home" in flags:
        home, sources["home"] = Path(str(flags["home"])).expanduser(), "--home"
    elif env.get("OS1_HOME"):
        home, sources["home"] = Path(env["OS1_HOME"]).expanduser(), "OS1_HOME"
    else:
        home = default_home(env)
    home = home.absolute()

    values: dict[str, object] = {}
    country = _country_from_locale(env)
    if country:
        values["crisis_country"], sources["crisis_country"] = country, "locale"
    layers: list[tuple[str, Mapping[str, object]]] = [
        (str(home / "config.toml"), _read_toml(home / "config.toml")),
    ]
    secrets_path = home / "secrets.toml"
    _check_secrets_file(secrets_path)
    layers.append((str(secrets_path), _read_toml(secrets_path)))
    layers.append(("env", {n: env[v] for n, (v, _) in _ENV.items() if env.get(v)}))
    layers.append(("flag", flags))

    for source, layer in layers:
        for name, raw in layer.items():
            if name == "home":
                continue
            if name not in _ENV:
                raise ConfigError(
                    f"Unknown setting {name!r} in {source}.",
                    f"Known settings: {', '.join(sorted(_ENV))}.",
                )
            values[name] = _coerce(name, raw, _ENV[name][1], source)
            sources[name] = (
                _ENV[name][0]
                if source == "env"
                else (f"--{name.replace('_', '-')}" if source == "flag" else source)
            )

    settings = replace(Settings(home=home), **values, sources=sources)  # type: ignore[arg-type]
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    model = settings.model
    if model not in MODEL_NAMES and not model.endswith(".gguf"):
        raise ConfigError(
            f"Unknown model {model!r}.",
            f"Use one of {', '.join(MODEL_NAMES)} or a path to a .gguf file.",
        )
    if settings.stt_model not in STT_CHOICES:
        raise ConfigError(
            f"Unknown speech-to-text model {settings.stt_model!r}.",
            f"Use one of {', '.join(STT_CHOICES)}.",
        )
    if settings.tts not in TTS_CHOICES:
        raise ConfigError(
            f"Unknown voice {settings.tts!r}.", f"Use one of {', '.join(TTS_CHOICES)}."
        )
    if settings.quiet_hours:
        from os1.proactive import parse_quiet_hours

        parse_quiet_hours(settings.quiet_hours)  # raises ConfigError with the fix
    if settings.base_url and not settings.base_url.lower().startswith(("http://", "https://")):
        raise ConfigError(
            f"base_url must start with http:// or https://, got {settings.base_url!r}."
        )
