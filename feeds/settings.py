"""Every setting, declared once with its type, default and help; read from the
environment once, at start-up. A bad value stops start-up with a message naming the
variable. The README lists them all (a test keeps it honest)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """An environment variable has a value the service cannot use."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _natural(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _refresh(text: str) -> float:
    value = float(text)
    if not 0.05 <= value <= 86_400:
        raise ValueError("must be between 0.05 and 86400 seconds")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 60:
        raise ValueError("must be between 0 and 60 seconds")
    return value


def _flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("must be 1 or 0")


def _base_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http(s) URL such as https://premieres.example")
    if "@" in parts.netloc:
        raise ValueError("must not carry a user name or password: every page shows it")
    return text.rstrip("/")


@dataclass(frozen=True)
class Setting:
    name: str
    field: str
    parse: Callable[[str], object]
    default: object
    help: str


SETTINGS = (
    Setting(
        "FEEDS_EVENTS_FILE",
        "events_file",
        Path,
        PROJECT_DIR / "events.yaml",
        "The catalogue to publish.",
    ),
    Setting(
        "FEEDS_BASE_URL",
        "base_url",
        _base_url,
        None,
        "The public URL of the service, used in links, UIDs and self links; overrides "
        "`calendar.base_url` in the catalogue.",
    ),
    Setting(
        "FEEDS_DATA_DIR",
        "data_dir",
        Path,
        PROJECT_DIR / "data",
        "Where state lives (the revision history); created if missing.",
    ),
    Setting(
        "FEEDS_REFRESH_SECONDS",
        "refresh_seconds",
        _refresh,
        1.0,
        "How often the catalogue file is checked for changes.",
    ),
    Setting(
        "FEEDS_SETTLE_SECONDS",
        "settle_seconds",
        _seconds,
        0.2,
        "A catalogue modified more recently than this is read on the next check, not "
        "now, so a save in progress is not mistaken for the new catalogue.",
    ),
    Setting(
        "FEEDS_SCHEDULER",
        "scheduler",
        _flag,
        True,
        "Run the background scheduler that picks up edits and time-based changes.",
    ),
    Setting(
        "FEEDS_MAX_AGE",
        "max_age",
        _natural,
        300,
        "Cache-Control max-age, in seconds, of feeds and the API.",
    ),
    Setting(
        "FEEDS_MAX_BYTES",
        "max_bytes",
        _positive_int,
        64 * 1024 * 1024,
        "The largest catalogue file accepted, in bytes.",
    ),
    Setting(
        "FEEDS_VARIANTS",
        "variants",
        _positive_int,
        256,
        "How many filtered documents (distinct query strings) are kept rendered.",
    ),
    Setting(
        "FEEDS_RETENTION_DAYS",
        "retention_days",
        _natural,
        30,
        "How long a premiere removed from the catalogue stays in the calendar as cancelled.",
    ),
    Setting(
        "FEEDS_DEBUG",
        "debug",
        _flag,
        False,
        "Flask debug mode; never turn it on for a public service.",
    ),
)


@dataclass(frozen=True)
class Settings:
    events_file: Path = PROJECT_DIR / "events.yaml"
    base_url: str | None = None
    data_dir: Path = PROJECT_DIR / "data"
    refresh_seconds: float = 1.0  # a check costs a stat (microseconds)
    settle_seconds: float = 0.2
    scheduler: bool = True
    max_age: int = 300
    max_bytes: int = 64 * 1024 * 1024
    variants: int = 256
    retention_days: int = 30
    debug: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); unset variables keep
        their defaults, a bad value raises ``SettingError`` naming the variable."""
        environ = os.environ if environ is None else environ
        values = {}
        for setting in SETTINGS:
            raw = environ.get(setting.name)
            if raw is None or raw == "":
                continue
            try:
                values[setting.field] = setting.parse(raw)
            except ValueError as error:
                raise SettingError(
                    f"{setting.name} has the value {_redacted(raw)!r}, which is not valid: {error}."
                ) from None
        return cls(**values)


def _redacted(raw: str) -> str:
    """The value as it may be printed: a URL's user name and password left out."""
    parts = urlsplit(raw)
    if parts.scheme and "@" in parts.netloc:
        return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()
    return raw


assert {s.field for s in SETTINGS} == {f.name for f in fields(Settings)}
