"""The kanban board of a pipeline: columns load their cards lazily, moves post to the move view."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.views.generic import View

from guanxi.core.forms import apply_widget_classes
from guanxi.core.permissions import Action
from guanxi.core.views import WorkspaceViewMixin, inline_select_options
from guanxi.opportunities.board import column_cards, column_totals
from guanxi.opportunities.filtersets import OpportunityFilterSet
from guanxi.opportunities.models import Pipeline, Stage
from guanxi.opportunities.selectors import opportunity_list
from guanxi.opportunities.services import default_pipeline, pipeline_stages
from guanxi.opportunities.views import _is_uuid

BOARD_FILTERS = ("owner", "team", "close_period")


class BoardViews(WorkspaceViewMixin, View):
    resource = "opportunities"
    selector = opportunity_list

    def pipeline(self) -> Pipeline:
        pipelines = Pipeline.objects.for_workspace(self.membership.workspace)
        if "pipeline_pk" in self.kwargs:
            return get_object_or_404(pipelines, pk=self.kwargs["pipeline_pk"])
        return default_pipeline(self.membership.workspace)

    def filterset(self) -> OpportunityFilterSet:
        data = {name: self.request.GET[name] for name in BOARD_FILTERS if name in self.request.GET}
        return OpportunityFilterSet(
            data or None, queryset=self.get_queryset(), request=self.request
        )

    def filter_query(self) -> str:
        query = self.request.GET.copy()
        for name in list(query):
            if name not in BOARD_FILTERS:
                del query[name]
        return query.urlencode()


def totals_json(totals) -> dict[str, dict[str, str]]:
    return {
        stage_id: {
            "count": number_format(column.count, force_grouping=True),
            "amount": number_format(column.amount, 2, force_grouping=True),
            "weighted": number_format(column.weighted, 2, force_grouping=True),
        }
        for stage_id, column in totals.items()
    }


class BoardView(BoardViews):
    """GET: the board's frame, column totals included (one query); the cards load per column."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline = self.pipeline()
        stages = pipeline_stages(pipeline)
        filterset = self.filterset()
        form = filterset.form
        for name in list(form.fields):
            if name not in BOARD_FILTERS:
                del form.fields[name]
        apply_widget_classes(form)
        inline_select_options(form)
        totals = column_totals(filterset.qs, stages)
        query = self.filter_query()
        columns = [
            {
                "stage": stage,
                "totals": totals[str(stage.pk)],
                "url": f"{reverse('opportunities:board_column', args=[stage.pk])}?{query}",
            }
            for stage in stages
        ]
        context = {
            "pipeline": pipeline,
            "pipelines": Pipeline.objects.for_workspace(self.membership.workspace).order_by(
                "order", "id"
            ),
            "columns": columns,
            "filter_form": form,
            "is_filtered": bool(query),
            "summary_url": f"{reverse('opportunities:board_summary', args=[pipeline.pk])}?{query}",
            "can_move": self.can(Action.CHANGE),
            "add_url": reverse("opportunities:create") if self.can(Action.ADD) else "",
        }
        return render(request, "opportunities/board.html", context)


class BoardColumnView(BoardViews):
    """GET: one page of a column's cards (`before` = the last card's id for "load more")."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stage = get_object_or_404(
            Stage.objects.for_workspace(self.membership.workspace), pk=self.kwargs["stage_pk"]
        )
        before = request.GET.get("before") or None
        if before is not None and not _is_uuid(before):
            raise Http404
        cards, next_cursor = column_cards(self.filterset().qs, stage, before=before)
        more_url = ""
        if next_cursor:
            query = request.GET.copy()
            query["before"] = next_cursor
            more_url = f"{request.path}?{query.urlencode()}"
        context = {"cards": cards, "stage": stage, "more_url": more_url, "first_page": not before}
        return render(request, "opportunities/partials/_board_cards.html", context)


class BoardSummaryView(BoardViews):
    """GET: the columns' totals as JSON, re-read by the board after a move."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pipeline = self.pipeline()
        totals = column_totals(self.filterset().qs, pipeline_stages(pipeline))
        return JsonResponse({"columns": totals_json(totals)})
