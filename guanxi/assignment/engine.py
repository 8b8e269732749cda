"""The rule engine: which rule fires for a record and which member that rule picks.

An `AssignmentEngine` reads a workspace's rules and pools once and reuses them for every record
of a batch (import, web forms, bulk re-assignment), so routing costs no query per rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F

from guanxi.assignment.choices import Strategy, TargetKind
from guanxi.assignment.conditions import all_hold, field_value
from guanxi.assignment.models import AssignmentRule, RoundRobinCursor
from guanxi.assignment.registry import assignable
from guanxi.core.permissions import Action, role_can
from guanxi.users.models import User
from guanxi.workspaces.models import Membership


class AssignmentEngine:
    """`batch=True` (assign_many) takes each round-robin cursor's row lock once, advances it in
    memory and writes it back in `flush()`, inside the caller's transaction."""

    def __init__(self, *, workspace: Any, batch: bool = False):
        self.workspace = workspace
        self.batch = batch
        self._rules: dict[str, list[AssignmentRule]] = {}
        self._pools: dict[Any, list[User]] = {}
        self._loads: dict[Any, dict[Any, int]] = {}
        self._cursors: dict[Any, Any] = {}
        # rule id → [cursor id, last user id, turns taken] while a batch holds the lock
        self._turns: dict[Any, list[Any]] = {}

    # --- which rule -------------------------------------------------------------------------
    def rules(self, object_type: str) -> list[AssignmentRule]:
        """Active rules in firing order: ordinary rules by `order`, then the default rule."""
        if object_type not in self._rules:
            rules = list(
                AssignmentRule.objects.filter(
                    workspace=self.workspace, object_type=object_type, active=True
                )
                .select_related("target_user", "target_team")
                .order_by("is_default", "order", "id")
            )
            self._rules[object_type] = rules
        return self._rules[object_type]

    def match(self, record: Any, object_type: str) -> AssignmentRule | None:
        for rule in self.rules(object_type):
            if rule.is_default or all_hold(rule.conditions, record):
                return rule
        return None

    # --- which member -----------------------------------------------------------------------
    def pool(self, rule: AssignmentRule) -> list[User]:
        """The rule's candidates, ordered by user id (the round-robin order)."""
        if rule.pk not in self._pools:
            memberships = Membership.objects.filter(
                workspace=self.workspace, is_active=True
            ).select_related("user")
            if rule.target_kind == TargetKind.USER:
                memberships = memberships.filter(user_id=rule.target_user_id)
            elif rule.target_team_id:
                memberships = memberships.filter(team_id=rule.target_team_id)
            resource = assignable(rule.object_type).resource
            self._pools[rule.pk] = sorted(
                (
                    m.user
                    for m in memberships
                    if rule.target_kind == TargetKind.USER
                    or resource is None
                    or role_can(m.role, resource, Action.CHANGE)
                ),
                key=lambda user: user.pk,
            )
        return self._pools[rule.pk]

    def pick(self, rule: AssignmentRule, record: Any, *, advance: bool = True) -> User | None:
        """The member the rule gives this record to; `advance=False` only peeks (preview)."""
        pool = self.pool(rule)
        if not pool:
            return None
        if rule.target_kind == TargetKind.USER or len(pool) == 1:
            chosen = pool[0]
        elif rule.strategy == Strategy.LEAST_LOAD:
            chosen = self.least_loaded(rule, pool)
        elif rule.strategy == Strategy.SKILL_MATCH:
            chosen = self.least_loaded(rule, self.skilled(rule, pool, record) or pool)
        else:
            return self.next_in_turn(rule, pool, advance=advance)
        if advance:
            loads = self._loads.get(rule.pk)
            if loads is not None:
                loads[chosen.pk] = loads.get(chosen.pk, 0) + 1
        return chosen

    def skilled(self, rule: AssignmentRule, pool: list[User], record: Any) -> list[User]:
        wanted = field_value(record, assignable(rule.object_type).skills_field or "")
        if wanted in (None, ""):
            return []
        wanted = str(wanted).strip().casefold()
        return [
            user
            for user in pool
            if wanted in {str(skill).strip().casefold() for skill in (user.skills or [])}
        ]

    def loads(self, rule: AssignmentRule) -> dict[Any, int]:
        """Open records per pool member, one grouped query; kept current within the batch."""
        if rule.pk not in self._loads:
            spec = assignable(rule.object_type)
            rows = spec.model.objects.filter(
                workspace=self.workspace, owner_id__in=[user.pk for user in self.pool(rule)]
            )
            if spec.open_filter is not None:
                rows = rows.filter(spec.open_filter)
            self._loads[rule.pk] = dict(
                rows.order_by()
                .values("owner_id")
                .annotate(n=Count("pk"))
                .values_list("owner_id", "n")
            )
        return self._loads[rule.pk]

    def least_loaded(self, rule: AssignmentRule, candidates: list[User]) -> User:
        loads = self.loads(rule)
        # ties go to the earliest in round-robin order, so the choice is repeatable
        return min(candidates, key=lambda user: loads.get(user.pk, 0))

    def next_in_turn(self, rule: AssignmentRule, pool: list[User], *, advance: bool) -> User:
        """The member after the cursor's last one. The UPDATE takes the cursor's row lock first,
        so concurrent requests (and other processes) queue and each gets the next member."""
        if not advance:
            # a preview reads the cursor without creating one
            last = (
                RoundRobinCursor.objects.filter(rule=rule)
                .values_list("last_user_id", flat=True)
                .first()
            )
            return following(pool, last)
        cursors = RoundRobinCursor.objects.filter(pk=self.cursor_id(rule))
        if self.batch:
            if rule.pk not in self._turns:
                cursors.update(turns=F("turns"))  # the row lock, held until the batch commits
                last = cursors.values_list("last_user_id", flat=True).first()
                self._turns[rule.pk] = [self.cursor_id(rule), last, 0]
            turn = self._turns[rule.pk]
            chosen = following(pool, turn[1])
            turn[1], turn[2] = chosen.pk, turn[2] + 1
            return chosen
        cursors.update(turns=F("turns") + 1)
        chosen = following(pool, cursors.values_list("last_user_id", flat=True).first())
        cursors.update(last_user_id=chosen.pk)
        return chosen

    def cursor_id(self, rule: AssignmentRule) -> Any:
        if rule.pk not in self._cursors:
            cursor, _ = RoundRobinCursor.objects.get_or_create(
                rule=rule, defaults={"workspace_id": rule.workspace_id}
            )
            self._cursors[rule.pk] = cursor.pk
        return self._cursors[rule.pk]

    def flush(self) -> None:
        """Write the batch's round-robin positions back (one UPDATE per rule used)."""
        for cursor_id, last, turns in self._turns.values():
            RoundRobinCursor.objects.filter(pk=cursor_id).update(
                turns=F("turns") + turns, last_user_id=last
            )
        self._turns.clear()


def following(pool: list[User], last: Any) -> User:
    """The pool member after `last` in id order, wrapping round."""
    return next((user for user in pool if last is not None and user.pk > last), pool[0])
