"""Task pages: my tasks, team tasks, calendar, metrics, detail with comments, edit, delete,
complete, and the quick add form of contact and company pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.forms import apply_widget_classes, field_errors_of
from guanxi.core.permissions import Action
from guanxi.core.views import (
    BulkActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    WorkspaceViewMixin,
)
from guanxi.interactions.views import LOGGED_EVENT as TIMELINE_RELOAD_EVENT
from guanxi.leads.selectors import lead_list
from guanxi.opportunities.selectors import opportunity_list
from guanxi.tasks.calendar import MONTH, WEEK, calendar_grid
from guanxi.tasks.filtersets import TaskFilterSet
from guanxi.tasks.forms import CommentForm, CompleteForm, QuickTaskForm, TaskForm
from guanxi.tasks.metrics import OWNER, TEAM, task_metrics
from guanxi.tasks.panels import quick_task_context
from guanxi.tasks.selectors import comment_list, task_list
from guanxi.tasks.services import (
    comment_create,
    task_complete,
    task_create,
    task_delete,
    task_update,
)

# htmx events sent after a quick add: ours, and the one the record page's timeline reloads on
TASK_ADDED_EVENT = "taskAdded"
QUICK_ADD_EVENTS = f"{TASK_ADDED_EVENT}, {TIMELINE_RELOAD_EVENT}"
LIST_FILTERS = [
    "status",
    "priority",
    "kind",
    "due_after",
    "due_before",
    "overdue",
    "linked_type",
    "include_closed",
]


class TaskViews:
    resource = "tasks"
    selector = task_list


def workspace_zone(membership) -> ZoneInfo:
    return ZoneInfo(membership.workspace.time_zone)


class TaskListView(TaskViews, ObjectListView):
    """My tasks: the open tasks assigned to me, soonest due first."""

    filterset_class = TaskFilterSet
    table_template = "tasks/partials/_table.html"
    template_name = "tasks/task_list.html"
    sortable = {"due": "due_at", "priority": "priority", "created": "created_at"}
    filter_fields = LIST_FILTERS
    search_placeholder = gettext_lazy("Title")
    page_title = gettext_lazy("My tasks")
    tab = "mine"

    def filter_scoped_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(owner_id=self.membership.user_id)

    def current_sort(self) -> str:
        return super().current_sort() or "due"

    def ordering_for(self, sort: str) -> list[str]:
        # tasks without a due time go last whichever way the list is sorted by due time
        if sort.removeprefix("-") == "due":
            due = (
                F("due_at").desc(nulls_last=True)
                if sort.startswith("-")
                else F("due_at").asc(nulls_last=True)
            )
            return [due, "-pk" if sort.startswith("-") else "pk"]
        return super().ordering_for(sort)

    def action_context(self) -> dict[str, Any]:
        # tasks have no tags: of the bulk actions assigning and deleting apply
        context = super().action_context()
        context.update(can_bulk_change=False, bulk_form=None)
        if not context["can_bulk_delete"]:
            context["bulk_url"] = ""
        return context


class TeamTaskListView(TaskListView):
    """Team tasks: every task the role may see (the team's for members, all for admins)."""

    page_title = gettext_lazy("Team tasks")
    tab = "team"
    filter_fields = ["owner", *LIST_FILTERS]

    def filter_scoped_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset


class TaskDetailView(TaskViews, ObjectDetailView):
    template_name = "tasks/task_detail.html"

    def detail_context(self, record: Model) -> dict[str, Any]:
        return {
            "comments": list(comment_list(task=record).prefetch_related("mentioned")),
            "comment_form": CommentForm() if self.can(Action.ADD) else None,
            "complete_form": CompleteForm(),
        }


class TaskEditView(TaskViews, ObjectEditView):
    form_class = TaskForm
    create_service = task_create
    update_service = task_update
    template_name = "tasks/task_form.html"

    def get_initial(self) -> dict[str, Any]:
        """`?contact=`, `?company=`, `?opportunity=` or `?lead=<id>` fills in the linked record."""
        initial = super().get_initial()
        for name, selector in (("contact", contact_list), ("company", company_list)):
            record = visible_record(selector, self.membership, self.request.GET.get(name, ""))
            if record is not None:
                initial[name] = record.pk if name == "contact" else record.name
        for name, selector in (("opportunity", opportunity_list), ("lead", lead_list)):
            record = visible_record(selector, self.membership, self.request.GET.get(name, ""))
            if record is not None:
                initial[name] = record.pk
        due = parse_day(self.request.GET.get("due", ""), None)
        if due is not None:
            # from the calendar's "+" of a day: nine in the morning of that day
            initial["due_at"] = f"{due.isoformat()}T09:00"
        return initial


class TaskDeleteView(TaskViews, ObjectDeleteView):
    delete_service = task_delete


class TaskBulkView(TaskViews, BulkActionView):
    def apply(self, data: dict[str, Any], records: list[Model]) -> int:
        if data["action"] not in ("delete", "assign_owner"):
            return 0
        return super().apply(data, records)


def visible_record(selector, membership, pk: str) -> Model | None:
    """The record with this id if the member may see it; None for anything else."""
    if not pk:
        return None
    try:
        return selector(membership=membership).prefetch_related(None).filter(pk=pk).first()
    except ValidationError:  # not a UUID
        return None


class TaskCompleteView(TaskViews, WorkspaceViewMixin, View):
    """POST: the task is done, with what came of it."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_object()
        self.require(Action.CHANGE, task)
        form = CompleteForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(task.get_absolute_url())
        task_complete(task=task, actor=request.user, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Task “%(name)s” is done.") % {"name": task})
        return redirect(task.get_absolute_url())


class CommentCreateView(TaskViews, WorkspaceViewMixin, View):
    """POST a comment: whoever may see the task and add tasks may comment (not viewers).
    htmx gets the comment list back."""

    http_method_names = ["post"]
    permission_action = Action.ADD

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_object()
        form = CommentForm(request.POST)
        posted = False
        if form.is_valid():
            try:
                comment_create(task=task, actor=request.user, body=form.cleaned_data["body"])
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                posted = True
                form = CommentForm()
        if not request.htmx:
            if posted:
                messages.success(request, _("Your comment was added."))
            else:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
            return redirect(task.get_absolute_url())
        context = {
            "object": task,
            "comments": list(comment_list(task=task).prefetch_related("mentioned")),
            "comment_form": form,
            "posted": posted,
        }
        return render(request, "tasks/partials/_comments.html", context)


class QuickTaskView(TaskViews, WorkspaceViewMixin, View):
    """POST from the tasks panel of a contact's or company's page."""

    http_method_names = ["post"]
    permission_action = Action.ADD
    template_name = "tasks/partials/_quick_panel_body.html"
    record_selector: ClassVar[Any]

    def record(self) -> Model:
        records: QuerySet = type(self).record_selector(membership=self.membership)
        return get_object_or_404(records.prefetch_related(None), pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.record()
        form = QuickTaskForm(request.POST, request=request, record=record)
        if form.is_valid():
            try:
                task_create(
                    workspace=self.membership.workspace,
                    actor=request.user,
                    **{record._meta.model_name: record},
                    **form.cleaned_data,
                )
            except ApplicationError as exc:
                field_errors_of(form, exc.as_field_errors())
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                if not request.htmx:
                    messages.success(request, _("The task was added."))
                    return redirect(record.get_absolute_url())
                response = render(
                    request,
                    self.template_name,
                    {"panel": quick_task_context(record, request, added=True)},
                )
                response["HX-Trigger"] = QUICK_ADD_EVENTS
                return response
        if not request.htmx:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(record.get_absolute_url())
        return render(
            request, self.template_name, {"panel": quick_task_context(record, request, form)}
        )


class QuickTaskContactView(QuickTaskView):
    record_selector = contact_list


class QuickTaskCompanyView(QuickTaskView):
    record_selector = company_list


class QuickTaskLeadView(QuickTaskView):
    record_selector = lead_list


class QuickTaskOpportunityView(QuickTaskView):
    record_selector = opportunity_list


def parse_day(value: str, default: date | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else default
    except ValueError:
        return default


class CalendarView(TaskViews, WorkspaceViewMixin, View):
    """A week or month grid of tasks by due day, in the workspace's time zone.

    `?mode=week|month&day=YYYY-MM-DD`; `?scope=team` shows every visible task, else mine.
    Open tasks only unless `include_closed` (same filters as the lists).
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        zone = workspace_zone(self.membership)
        today = timezone.now().astimezone(zone).date()
        anchor = parse_day(request.GET.get("day", ""), today)
        mode = WEEK if request.GET.get("mode") == WEEK else MONTH
        team = request.GET.get("scope") == "team"
        filterset = TaskFilterSet(
            request.GET or None, queryset=self.get_queryset(), request=request
        )
        # the grid shows title, time and assignee: no other joins
        tasks = filterset.qs.select_related(None).select_related("owner")
        if not team:
            tasks = tasks.filter(owner_id=self.membership.user_id)
        grid = calendar_grid(tasks=tasks, anchor=anchor, mode=mode, zone=zone, today=today)
        base = {"mode": mode}
        if team:
            base["scope"] = "team"
        context = {
            "grid": grid,
            "mode": mode,
            "team": team,
            "today": today,
            "tab": "calendar",
            "query": base,
            "can_add": self.can(Action.ADD),
            "weekday_names": weekday_names(),
        }
        return render(request, "tasks/task_calendar.html", context)


def weekday_names() -> list[str]:
    # 2024-01-01 is a Monday; the names come from Django's translated date formats
    from django.utils.dateformat import format as date_format

    return [date_format(date(2024, 1, 1) + timedelta(days=i), "D") for i in range(7)]


class MetricsPeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Per"),
        required=False,
        choices=[(OWNER, gettext_lazy("Assignee")), (TEAM, gettext_lazy("Team"))],
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


def metrics_period(data: Any, today: date) -> tuple[date, date, str, MetricsPeriodForm]:
    """The period asked for (default: this month so far … end of month), and the grouping."""
    form = MetricsPeriodForm(data or None)
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    group_by = OWNER
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        group_by = form.cleaned_data["group_by"] or OWNER
    if end < start:
        start, end = end, start
    # a period longer than this is a report, not a dashboard
    end = min(end, start + timedelta(days=366))
    return start, end, group_by, form


class MetricsView(TaskViews, WorkspaceViewMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        zone = workspace_zone(self.membership)
        today = timezone.now().astimezone(zone).date()
        start, end, group_by, form = metrics_period(request.GET, today)
        rows, total = task_metrics(
            membership=self.membership, start=start, end=end, zone=zone, group_by=group_by
        )
        context = {
            "form": form,
            "rows": rows,
            "total": total,
            "start": start,
            "end": end,
            "group_by": group_by,
            "tab": "metrics",
        }
        return render(request, "tasks/task_metrics.html", context)
