"""Assignment rules: an ordered table per object type, first match wins, and round-robin cursors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.assignment.choices import Operator, Strategy, TargetKind
from guanxi.core.models import BaseModel, WorkspaceModel

MAX_CONDITIONS = 20


class AssignmentRule(WorkspaceModel):
    """When every condition holds, records of `object_type` go to the target (LEAD-3, TASK-2)."""

    object_type = models.CharField(_("record type"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    # [{"field": "priority", "op": "eq", "value": "high"}, …]; all must hold
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    target_kind = models.CharField(
        _("assign to"), max_length=10, choices=TargetKind.choices, default=TargetKind.TEAM
    )
    target_user = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    target_team = models.ForeignKey(
        "workspaces.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    strategy = models.CharField(
        _("strategy"), max_length=20, choices=Strategy.choices, default=Strategy.ROUND_ROBIN
    )
    # fires when no other rule matches; its conditions are ignored
    is_default = models.BooleanField(_("default rule"), default=False)

    audit_enabled = True

    class Meta:
        ordering = ["object_type", "-is_default", "order", "id"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "object_type"],
                condition=Q(is_default=True),
                name="assignment_one_default_rule",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "object_type", "order"], name="assign_rule_order_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assignment:edit", args=[self.pk])

    def clean(self) -> None:
        from guanxi.assignment.registry import assignable_or_none

        errors: dict[str, list] = {}
        spec = assignable_or_none(self.object_type)
        if spec is None:
            errors["object_type"] = [_("Unknown record type.")]
        errors.update(self.condition_errors(spec))
        if self.target_kind == TargetKind.USER and not self.target_user_id:
            errors["target_user"] = [_("Choose the user who gets these records.")]
        if self.target_kind == TargetKind.TEAM and not self.target_team_id:
            errors["target_team"] = [_("Choose the team that gets these records.")]
        if errors.keys().isdisjoint({"target_team"}) and self.foreign_team():
            errors["target_team"] = [_("Choose a team of this workspace.")]
        if errors.keys().isdisjoint({"target_user"}) and self.foreign_user():
            errors["target_user"] = [_("Choose an active member of this workspace.")]
        if (
            self.strategy == Strategy.SKILL_MATCH
            and spec is not None
            and not spec.skills_field
            and self.target_kind != TargetKind.USER
        ):
            errors["strategy"] = [_("This record type has no field to match skills on.")]
        if errors:
            raise ValidationError(errors)

    def foreign_team(self) -> bool:
        return bool(
            self.target_team_id
            and self.workspace_id
            and self.target_team.workspace_id != self.workspace_id
        )

    def foreign_user(self) -> bool:
        return bool(
            self.target_user_id
            and self.workspace_id
            and not self.target_user.memberships.filter(
                workspace_id=self.workspace_id, is_active=True
            ).exists()
        )

    def condition_errors(self, spec) -> dict[str, list]:
        conditions = self.conditions
        if not isinstance(conditions, list) or len(conditions) > MAX_CONDITIONS:
            return {"conditions": [_("At most %(max)s conditions.") % {"max": MAX_CONDITIONS}]}
        for item in conditions:
            if not (
                isinstance(item, dict)
                and set(item) == {"field", "op", "value"}
                and isinstance(item["field"], str)
                and item["op"] in Operator.values
                and isinstance(item["value"], str | int | float | list)
            ):
                return {"conditions": [_("Each condition is a field, an operator and a value.")]}
            if spec is not None and item["field"] not in spec.fields:
                return {
                    "conditions": [
                        _("“%(field)s” is not a field rules can use.") % {"field": item["field"]}
                    ]
                }
        return {}


class RoundRobinCursor(BaseModel):
    """Whose turn it is in a rule's pool; advanced under a row lock, so fair across processes."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+", editable=False
    )
    rule = models.ForeignKey(AssignmentRule, on_delete=models.CASCADE, related_name="cursors")
    # how many records this cursor has handed out (also the row-lock taken first)
    turns = models.PositiveBigIntegerField(default=0)
    last_user = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule"], name="assignment_one_cursor")]
