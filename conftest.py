"""Suite-wide fixtures: jobs run inline, workspaces with one member per role, API clients, chromium."""

from __future__ import annotations

import os
import shutil

import pytest
from rest_framework.test import APIClient

from guanxi.workspaces.choices import Role

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True, scope="session")
def jobs_run_inline():
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read English text unless they ask for Chinese (Accept-Language, cookie, override)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # the production hasher costs ~0.4 s per user; tests make hundreds of users
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def workspace(db):
    from guanxi.workspaces.tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="上海关系科技", slug="main")


@pytest.fixture
def other_workspace(db):
    from guanxi.workspaces.tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Other Co", slug="other")


@pytest.fixture
def member(workspace):
    """member(role, team=None, workspace=None) → Membership with a fresh user."""
    from guanxi.workspaces.tests.factories import MembershipFactory

    def make(role: str = Role.ADMIN, team=None, in_workspace=None):
        return MembershipFactory(workspace=in_workspace or workspace, role=role, team=team)

    return make


@pytest.fixture
def admin(member):
    return member(Role.ADMIN)


@pytest.fixture
def api_client():
    """api_client(membership) → DRF client authenticated as that member, in that workspace."""

    def make(membership=None) -> APIClient:
        client = APIClient()
        if membership is not None:
            client.force_login(membership.user)
            session = client.session
            session["workspace_id"] = str(membership.workspace_id)
            session.save()
        return client

    return make


# --- browser tests: Debian's chromium through Playwright -------------------------------------
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if CHROMIUM:
        # Playwright's sync API keeps an event loop running in the test thread for the rest of
        # the session, which Django mistakes for async code; every ORM call here is synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        return
    if IN_CI:
        raise pytest.UsageError(
            "CI=true but chromium is not installed: browser tests may not be skipped in CI."
        )
    skip = pytest.mark.skip(
        reason="chromium is not installed (make test installs it as root with apt)"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
