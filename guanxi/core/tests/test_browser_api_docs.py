"""Swagger UI renders in a real browser under the strict Content Security Policy."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_without_csp_violations(page: Page, live_server) -> None:
    # given a browser that records console errors (CSP violations are reported there)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    # when the API documentation opens
    page.goto(f"{live_server.url}/api/v1/docs/")

    # then Swagger UI has drawn the operations and nothing was blocked
    expect(page.get_by_text("/api/v1/contacts/").first).to_be_visible()
    assert errors == []
