"""Shared pieces of the Playwright journeys: the browser's language and window, screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def context_args(base: dict[str, Any], *, locale: str = "zh-CN", width: int = 1400) -> dict:
    """pytest-playwright's browser_context_args for a user of this language and window width."""
    return {**base, "locale": locale, "viewport": {"width": width, "height": 1000}}


def screenshot_taker(prefix: str) -> Callable[[Page, str], None]:
    """shot(page, name) saves a full-page screenshot as test-artifacts/<prefix>-<name>.png."""

    def shot(page: Page, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name}.png"), full_page=True)

    return shot
