"""docs/permissions.md is generated from the permission registry and kept in step with it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from guanxi.core.management.commands import permissions_doc
from guanxi.core.permissions import REGISTRY, Action, ResourcePolicy, Scope
from guanxi.workspaces.choices import Role


def test_committed_permissions_doc_matches_the_registry():
    out = StringIO()
    call_command("permissions_doc", "--check", stdout=out)
    assert "is up to date" in out.getvalue()


def test_check_fails_when_the_file_differs(tmp_path, monkeypatch):
    # given
    stale = tmp_path / "permissions.md"
    stale.write_text(permissions_doc.render() + "| edited by hand |\n", encoding="utf-8")
    monkeypatch.setattr(permissions_doc, "DOC_PATH", stale)

    # when / then
    with pytest.raises(CommandError, match="out of date"):
        call_command("permissions_doc", "--check")


def test_check_fails_when_the_file_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(permissions_doc, "DOC_PATH", tmp_path / "missing.md")
    with pytest.raises(CommandError, match="out of date"):
        call_command("permissions_doc", "--check")


def test_writing_then_checking_passes(tmp_path, monkeypatch):
    # given
    target = tmp_path / "docs" / "permissions.md"
    monkeypatch.setattr(permissions_doc, "DOC_PATH", target)

    # when
    call_command("permissions_doc", stdout=StringIO())

    # then
    assert target.read_text(encoding="utf-8") == permissions_doc.render()
    call_command("permissions_doc", "--check", stdout=StringIO())


def test_every_registered_resource_has_a_section_with_one_row_per_role():
    text = permissions_doc.render()
    for policy in REGISTRY.values():
        section = text.split(f"(`{policy.resource}`)")[1].split("\n## ")[0]
        rows = [line for line in section.splitlines() if line.startswith("| ")][2:]
        with translation.override("en"):
            assert [row.split(" | ")[0][2:] for row in rows] == [str(r.label) for r in Role]


def test_contacts_section_shows_actions_and_scopes_per_role():
    text = permissions_doc.render()
    section = text.split("(`contacts`)")[1].split("\n## ")[0]
    assert "| Role | view | add | change | delete | export | Reads | Writes |" in section
    assert "| Sales | ✓ | ✓ | ✓ | — | ✓ | team | own |" in section
    assert "| Manager | ✓ | ✓ | ✓ | ✓ | ✓ | team | team |" in section
    assert "| Viewer | ✓ | — | — | — | — | all | — |" in section
    assert "shared pool" in text


def test_render_policy_of_a_resource_with_custom_actions_and_no_scopes():
    # given
    policy = ResourcePolicy(
        resource="reports",
        label="Reports <b>",
        actions={Role.ADMIN: frozenset({"run_now", Action.VIEW}), Role.VIEWER: frozenset()},
    )

    # when
    with translation.override("en"):
        section = permissions_doc.render_policy(policy)

    # then
    assert section.splitlines()[2] == "| Role | view | run now |"
    assert "| Administrator | ✓ | ✓ |" in section
    assert "| Viewer | — | — |" in section
    assert "Reads" not in section


def test_scope_is_a_dash_for_a_role_without_actions_of_that_kind():
    policy = ResourcePolicy(
        resource="x",
        label="X",
        actions={Role.SALES: frozenset({Action.VIEW})},
        read_scope={Role.SALES: Scope.OWN},
    )
    assert (
        permissions_doc.scope_label(policy, Role.SALES, Action.VIEW, frozenset({"view"})) == "own"
    )
    assert (
        permissions_doc.scope_label(policy, Role.SALES, Action.CHANGE, frozenset({"view"})) == "—"
    )
