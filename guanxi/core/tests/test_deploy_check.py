"""With production settings from the environment, Django's deployment checklist passes."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys

from django.conf import settings


def production_env(var_dir) -> dict[str, str]:
    # the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GUANXI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    alphabet = string.ascii_letters + string.digits
    env.update(
        GUANXI_DEBUG="0",
        GUANXI_HTTPS="1",
        GUANXI_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(64)),
        GUANXI_ALLOWED_HOSTS="crm.example.com",
        GUANXI_VAR_DIR=str(var_dir),
    )
    return env


def test_check_deploy_passes_with_production_settings(tmp_path):
    # when
    result = subprocess.run(
        [sys.executable, "-m", "guanxi", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_with_debug_on(tmp_path):
    # given: the same settings, but DEBUG on
    env = production_env(tmp_path) | {"GUANXI_DEBUG": "1"}

    # when
    result = subprocess.run(
        [sys.executable, "-m", "guanxi", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then: the test above would notice a broken check, not only a passing one
    assert result.returncode != 0
    assert "security.W018" in result.stderr
