"""Reads GUANXI_* environment variables and creates the embedded default secrets under var/."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GUANXI_VAR_DIR", BASE_DIR / "var"))

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"GUANXI_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"GUANXI_{name}")
    return default if raw is None else raw.strip().lower() in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"GUANXI_{name}")
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def embedded_secret_key() -> str:
    """The secret key from the environment, or one generated once under var/ (mode 0600)."""
    if key := env_str("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(64))
    return path.read_text().strip()


def embedded_field_keys() -> tuple[str, str]:
    """(GUANXI_FIELD_KEYS, GUANXI_INDEX_KEY) from the environment or var/field_keys.json."""
    field_keys, index_key = env_str("FIELD_KEYS"), env_str("INDEX_KEY")
    if field_keys and index_key:
        return field_keys, index_key
    path = VAR_DIR / "field_keys.json"
    if not path.exists():
        generated = {
            "field_keys": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        }
        _write_private(path, json.dumps(generated))
    stored = json.loads(path.read_text())
    return field_keys or stored["field_keys"], index_key or stored["index_key"]
