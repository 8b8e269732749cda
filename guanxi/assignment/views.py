"""The rule table per record type (create, edit, reorder, delete) and the preview page."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import View

from guanxi.assignment.forms import AssignmentRuleForm
from guanxi.assignment.registry import ASSIGNABLES, assignable_or_none
from guanxi.assignment.selectors import rule_list
from guanxi.assignment.services import (
    preview,
    preview_user,
    rule_create,
    rule_delete,
    rule_move,
    rule_update,
)
from guanxi.core.permissions import Action
from guanxi.core.views import ObjectDeleteView, ObjectEditView, WorkspaceViewMixin


class RuleViews:
    resource = "assignment"
    selector = rule_list


class RuleListView(RuleViews, WorkspaceViewMixin, View):
    template_name = "assignment/rule_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rules = list(self.get_queryset())
        tables = [
            {
                "object_type": key,
                "label": spec.label,
                "rules": [rule for rule in rules if rule.object_type == key],
            }
            for key, spec in sorted(ASSIGNABLES.items())
        ]
        context = {
            **self.base_context(),
            "tables": tables,
            "can_add": self.can(Action.ADD),
            "can_change": self.can(Action.CHANGE),
            "can_delete": self.can(Action.DELETE),
        }
        return render(request, self.template_name, context)


class RuleEditView(RuleViews, ObjectEditView):
    form_class = AssignmentRuleForm
    create_service = rule_create
    update_service = rule_update

    def get_initial(self) -> dict[str, Any]:
        wanted = self.request.GET.get("object_type", "")
        return {"object_type": wanted} if wanted in ASSIGNABLES else {}

    def success_url(self, saved: Model) -> str:
        return reverse("assignment:list")


class RuleDeleteView(RuleViews, ObjectDeleteView):
    delete_service = rule_delete


class RuleMoveView(RuleViews, WorkspaceViewMixin, View):
    permission_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rule = self.get_object()
        rule_move(rule=rule, actor=request.user, up=request.POST.get("direction") == "up")
        return redirect(reverse("assignment:list"))


class RulePreviewView(RuleViews, WorkspaceViewMixin, View):
    """Which rule fires for record X (and whom it would pick now), without assigning."""

    template_name = "assignment/preview.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        object_type = request.GET.get("object_type", "")
        raw_id = request.GET.get("record", "").strip()[:64]
        context: dict[str, Any] = {
            **self.base_context(),
            "object_types": [(key, spec.label) for key, spec in sorted(ASSIGNABLES.items())],
            "object_type": object_type,
            "record_id": raw_id,
        }
        spec = assignable_or_none(object_type)
        if spec is not None and raw_id:
            record = self.find(spec.model, raw_id)
            context["searched"] = True
            if record is not None:
                rule = preview(record, object_type=object_type)
                context.update(
                    record=record,
                    rule=rule,
                    user=preview_user(record, rule=rule) if rule else None,
                )
        return render(request, self.template_name, context)

    def find(self, model: type[Model], raw_id: str) -> Model | None:
        try:
            pk = uuid.UUID(raw_id)
        except ValueError:
            return None
        return model.objects.filter(workspace=self.membership.workspace, pk=pk).first()
