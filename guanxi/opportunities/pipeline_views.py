"""Pipeline settings: pipelines and their ordered stages with gates (admins change, all read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from guanxi.core.errors import validation_error_fields
from guanxi.core.forms import field_errors_of
from guanxi.core.permissions import Action
from guanxi.core.views import WorkspaceViewMixin
from guanxi.opportunities.forms import PipelineForm, StageForm
from guanxi.opportunities.models import Stage
from guanxi.opportunities.selectors import pipeline_list
from guanxi.opportunities.services import (
    STAGE_FIELDS,
    default_pipeline,
    pipeline_create,
    pipeline_delete,
    pipeline_update,
    stage_create,
    stage_delete,
    stage_update,
    stages_reorder,
)


class PipelineViews(WorkspaceViewMixin, View):
    resource = "pipelines"
    selector = pipeline_list

    def pipeline_object(self, action: str = Action.VIEW):
        pipeline = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.require(action)
        return pipeline

    def stage_object(self) -> Stage:
        stage = get_object_or_404(
            Stage.objects.for_workspace(self.membership.workspace).select_related("pipeline"),
            pk=self.kwargs["stage_pk"],
        )
        self.require(Action.CHANGE)
        return stage

    def settings_url(self) -> str:
        return reverse("opportunities:pipelines")


class PipelineListView(PipelineViews):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipelines = list(self.get_queryset())
        if not pipelines:
            default_pipeline(self.membership.workspace)
            pipelines = list(self.get_queryset())
        context = {"pipelines": pipelines, "can_change": self.can(Action.CHANGE)}
        return render(request, "opportunities/pipelines.html", context)


class PipelineEditView(PipelineViews):
    def required_action(self) -> str:
        return Action.CHANGE if "pk" in self.kwargs else Action.ADD

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline = self.pipeline_object(Action.CHANGE) if "pk" in self.kwargs else None
        return self.render_form(PipelineForm(instance=pipeline, request=request), pipeline)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline = self.pipeline_object(Action.CHANGE) if "pk" in self.kwargs else None
        form = PipelineForm(request.POST, instance=pipeline, request=request)
        if form.is_valid():
            try:
                if pipeline is None:
                    pipeline = pipeline_create(
                        workspace=self.membership.workspace,
                        actor=request.user,
                        data=form.cleaned_data,
                    )
                else:
                    pipeline.refresh_from_db()
                    pipeline_update(pipeline=pipeline, actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                messages.success(
                    request, _("Pipeline “%(name)s” was saved.") % {"name": pipeline.name}
                )
                return redirect(self.settings_url())
        return self.render_form(form, pipeline)

    def render_form(self, form: PipelineForm, pipeline) -> HttpResponse:
        context = {"form": form, "object": pipeline, "kind": _("pipeline")}
        return render(self.request, "opportunities/settings_form.html", context)


class PipelineDeleteView(PipelineViews):
    permission_action = Action.DELETE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline = self.pipeline_object(Action.DELETE)
        context = {"object": pipeline, "deal_count": pipeline.opportunities.count()}
        return render(request, "opportunities/settings_delete.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline = self.pipeline_object(Action.DELETE)
        try:
            pipeline_delete(pipeline=pipeline, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Pipeline “%(name)s” was deleted.") % {"name": pipeline.name}
            )
        return redirect(self.settings_url())


class StageEditView(PipelineViews):
    """Create a stage in a pipeline (`pk`) or edit one (`stage_pk`)."""

    permission_action = Action.CHANGE

    def target(self) -> tuple[Any, Stage | None]:
        if "stage_pk" in self.kwargs:
            stage = self.stage_object()
            return stage.pipeline, stage
        return self.pipeline_object(Action.CHANGE), None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline, stage = self.target()
        return self.render_form(StageForm(instance=stage), pipeline, stage)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline, stage = self.target()
        form = StageForm(request.POST)
        if form.is_valid():
            data = {
                name: form.cleaned_data[name] for name in STAGE_FIELDS if name in form.cleaned_data
            }
            try:
                if stage is None:
                    stage = stage_create(pipeline=pipeline, actor=request.user, data=data)
                else:
                    stage_update(stage=stage, actor=request.user, data=data)
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                messages.success(request, _("Stage “%(name)s” was saved.") % {"name": stage.name})
                return redirect(self.settings_url())
        return self.render_form(form, pipeline, stage)

    def render_form(self, form: StageForm, pipeline, stage: Stage | None) -> HttpResponse:
        context = {"form": form, "object": stage, "pipeline": pipeline, "kind": _("stage")}
        return render(self.request, "opportunities/settings_form.html", context)


class StageDeleteView(PipelineViews):
    permission_action = Action.CHANGE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stage = self.stage_object()
        context = {"object": stage, "deal_count": stage.opportunities.count()}
        return render(request, "opportunities/settings_delete.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stage = self.stage_object()
        try:
            stage_delete(stage=stage, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Stage “%(name)s” was deleted.") % {"name": stage.name})
        return redirect(self.settings_url())


class StageMoveView(PipelineViews):
    """POST direction=up|down: swap the stage with its neighbour."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stage = self.stage_object()
        ids = list(stage.pipeline.stages.order_by("order", "id").values_list("pk", flat=True))
        index = ids.index(stage.pk)
        other = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= other < len(ids):
            ids[index], ids[other] = ids[other], ids[index]
            stages_reorder(pipeline=stage.pipeline, actor=request.user, stage_ids=ids)
        return redirect(self.settings_url())
