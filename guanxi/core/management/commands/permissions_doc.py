"""`python -m guanxi permissions_doc [--check]`: docs/permissions.md rendered from the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from guanxi.core.permissions import REGISTRY, Action, ResourcePolicy, Scope
from guanxi.workspaces.choices import Role

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "permissions.md"
YES, NO = "✓", "—"

INTRODUCTION = """\
# Permissions

Generated from `guanxi.core.permissions.REGISTRY` by `python -m guanxi permissions_doc`;
do not edit by hand (`make test` checks that this file matches the code).

Each resource lists which actions each role may take, and for records with an owner which
records the role sees (read: view, export) and may change (write: add, change, delete and
the other actions):

- **own** — records the member owns;
- **team** — records owned by anyone in the member's team, plus unowned records: a record
  without an owner belongs to the team's shared pool. A member without a team sees only
  their own records;
- **all** — every record of the workspace.

A dash (—) means the role may not take that action. Every rule applies inside one workspace
only: no role ever sees another workspace's records.
"""


def render() -> str:
    """The whole document, in English, resources sorted by name."""
    autodiscover_modules("permissions")
    with translation.override("en"):
        sections = [render_policy(REGISTRY[name]) for name in sorted(REGISTRY)]
    return "\n".join([INTRODUCTION, *sections])


def render_policy(policy: ResourcePolicy) -> str:
    actions = policy_actions(policy)
    scoped = bool(policy.read_scope or policy.write_scope)
    header = ["Role", *(action_label(a) for a in actions)]
    if scoped:
        header += ["Reads", "Writes"]
    lines = [
        f"## {policy.label} (`{policy.resource}`)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join([" --- "] + [" :-: "] * (len(header) - 1)) + "|",
    ]
    for role in Role:
        allowed = policy.actions.get(role, frozenset())
        cells = [str(role.label), *(YES if a in allowed else NO for a in actions)]
        if scoped:
            cells += [
                scope_label(policy, role, Action.VIEW, allowed),
                scope_label(policy, role, Action.CHANGE, allowed),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def policy_actions(policy: ResourcePolicy) -> list[str]:
    """Standard actions in their usual order, then the resource's own actions by name."""
    granted = set().union(*policy.actions.values()) if policy.actions else set()
    standard = [action for action in Action.values if action in granted]
    return standard + sorted(granted - set(standard))


def action_label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action.replace("_", " ")


def scope_label(policy: ResourcePolicy, role: str, action: str, allowed: frozenset) -> str:
    """The scope, or a dash when the role may take no action of that kind."""
    reads = action == Action.VIEW
    if not any((a in (Action.VIEW, Action.EXPORT)) == reads for a in allowed):
        return NO
    return str(Scope(policy.scope_for(role, action)).value)


class Command(BaseCommand):
    help = "Render docs/permissions.md from the permission registry (--check: fail if it differs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="exit non-zero when the file is out of date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = render()
        if options["check"]:
            current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
            if current != text:
                raise CommandError(
                    f"{DOC_PATH} is out of date: run `python -m guanxi permissions_doc` and commit it."
                )
            self.stdout.write(f"{DOC_PATH} is up to date.")
            return
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DOC_PATH}.")
