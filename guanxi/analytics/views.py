"""Sales analytics pages: the dashboard, the deals behind any figure, and the targets."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import View

from guanxi.analytics import reports
from guanxi.analytics.drill import DRILL_DOWN_REPORTS
from guanxi.analytics.filters import ReportFilterForm, ReportParams
from guanxi.analytics.filtersets import SalesTargetFilterSet
from guanxi.analytics.forms import SalesTargetForm
from guanxi.analytics.panels import PANELS
from guanxi.analytics.selectors import sales_target_list
from guanxi.analytics.services import (
    sales_target_create,
    sales_target_delete,
    sales_target_update,
)
from guanxi.core.paging import page_number, paginate
from guanxi.core.permissions import Action, role_can
from guanxi.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    WorkspaceViewMixin,
)


class ReportPageMixin(WorkspaceViewMixin):
    """The report filters read from the query string; invalid filters show the form's errors."""

    resource = "analytics"
    selector = sales_target_list

    def report_form(self) -> ReportFilterForm:
        form = ReportFilterForm(self.request.GET, workspace=self.membership.workspace)
        if not form.is_valid():
            # show the errors, and the reports for the defaults rather than nothing
            form.default_params = ReportFilterForm({}, workspace=self.membership.workspace)
            form.default_params.is_valid()
        return form

    @staticmethod
    def params_of(form: ReportFilterForm) -> ReportParams:
        return form.params() if not form.errors else form.default_params.params()


class DashboardView(ReportPageMixin, View):
    """The filters and four panels (pipeline value, funnel, rep efficiency, forecast against
    targets), each of which loads its report in a request of its own (ReportPanelView)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.report_form()
        params = self.params_of(form)
        query = urlencode(params.query())
        context = {
            "form": form,
            "params": params,
            "can_view_targets": role_can(self.membership.role, "sales_targets", Action.VIEW),
            "panel_urls": {
                name: f"{reverse('analytics:panel', args=[name])}?{query}" for name in PANELS
            },
        }
        return render(request, "analytics/dashboard.html", context)


class ReportPanelView(ReportPageMixin, View):
    """One panel of the dashboard (an htmx fragment), for the same filters as the page."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        panel = PANELS.get(kwargs["name"])
        if panel is None:
            raise Http404
        params = self.params_of(self.report_form())
        context = {"params": params, **panel.context(self.membership, params)}
        return render(request, panel.template, context)


class DealsBehindView(ReportPageMixin, View):
    """The opportunities behind one figure of a report (the drill-down of every number)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = request.GET.get("report", "")
        form = self.report_form()
        if report not in DRILL_DOWN_REPORTS or form.errors:
            return render(
                request,
                "analytics/deals.html",
                {"form": form, "page": None, "invalid": True},
                status=400,
            )
        params = form.params()
        deals = (
            reports.deals_behind(self.membership, report, params)
            .select_related("owner", "stage", "pipeline", "company")
            .order_by("-id")
        )
        page = paginate(deals, page_number(request.GET.get("page")))
        context = {
            "form": form,
            "params": params,
            "report": report,
            "page": page,
            "object_list": page.object_list,
            "back_url": f"{reverse('analytics:dashboard')}?{urlencode(params.query())}",
        }
        return render(request, "analytics/deals.html", context)


# --- targets -------------------------------------------------------------------------------
class SalesTargetViews:
    resource = "sales_targets"
    selector = sales_target_list


class SalesTargetListView(SalesTargetViews, ObjectListView):
    filterset_class = SalesTargetFilterSet
    table_template = "analytics/partials/_target_table.html"
    sortable = {"month": "month", "amount": "amount"}
    filter_fields = ["user", "team", "month_from", "month_until"]
    bulk_actions = False

    def filter_scoped_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by("-month", "-id")

    @cached_property
    def can_edit(self) -> bool:
        return self.can(Action.CHANGE)


class SalesTargetEditView(SalesTargetViews, ObjectEditView):
    form_class = SalesTargetForm
    create_service = sales_target_create
    update_service = sales_target_update

    def get_initial(self) -> dict[str, Any]:
        return {}

    def success_url(self, saved: Model) -> str:
        return reverse(self.url_name("list"))


class SalesTargetDeleteView(SalesTargetViews, ObjectDeleteView):
    delete_service = sales_target_delete
