"""The rule form: conditions typed one per line as `field operator value`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.assignment.choices import Operator
from guanxi.assignment.models import MAX_CONDITIONS, AssignmentRule
from guanxi.assignment.registry import assignable_or_none, object_type_choices
from guanxi.core.filtersets import workspace_users
from guanxi.core.forms import WorkspaceModelForm
from guanxi.workspaces.models import Team


def conditions_text(conditions: list[dict[str, Any]]) -> str:
    lines = []
    for item in conditions or []:
        value = item["value"]
        value = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        lines.append(f"{item['field']} {item['op']} {value}")
    return "\n".join(lines)


class ConditionsField(forms.CharField):
    """`priority eq high` / `province in 上海, 北京` / `score gte 80`, one per line."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return conditions_text(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[dict[str, Any]]:
        text = super().to_python(value)
        conditions = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(None, 2)
            if len(parts) < 3 or parts[1] not in Operator.values:
                raise forms.ValidationError(
                    _("Line %(line)s: write “field operator value”, operator one of %(ops)s.")
                    % {"line": number, "ops": ", ".join(Operator.values)}
                )
            field, op, raw = parts
            value: Any = raw.strip()
            if op == Operator.IN:
                value = [
                    part.strip() for part in value.replace("，", ",").split(",") if part.strip()
                ]
            conditions.append({"field": field, "op": op, "value": value})
        if len(conditions) > MAX_CONDITIONS:
            raise forms.ValidationError(_("At most %(max)s conditions.") % {"max": MAX_CONDITIONS})
        return conditions


class AssignmentRuleForm(WorkspaceModelForm):
    conditions = ConditionsField(label=_("Conditions (all must hold)"))

    fieldsets = [
        (_("Rule"), ["object_type", "name", "active", "is_default", "conditions"]),
        (_("Assign to"), ["target_kind", "target_user", "target_team", "strategy"]),
    ]

    class Meta:
        model = AssignmentRule
        fields = [
            "object_type",
            "name",
            "active",
            "is_default",
            "conditions",
            "target_kind",
            "target_user",
            "target_team",
            "strategy",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["object_type"] = forms.ChoiceField(
            choices=object_type_choices(), label=_("Record type")
        )
        if not self.instance._state.adding:
            self.fields["object_type"].disabled = True
        self.fields["target_user"].queryset = workspace_users(self.request)
        self.fields["target_team"].queryset = Team.objects.filter(workspace=self.request.workspace)
        spec = assignable_or_none(self.initial.get("object_type") or self.instance.object_type)
        fields = ", ".join(spec.fields) if spec else ""
        self.fields["conditions"].help_text = _(
            "One per line, e.g. “priority eq high”, “province in 上海, 北京”, “score gte 80”. "
            "Fields: %(fields)s."
        ) % {"fields": fields or "—"}
        self.fields["conditions"].widget.attrs.update({"class": "form-control", "rows": 4})
