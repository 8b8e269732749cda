"""Interaction pages (list, detail, edit, delete), quick logging and the timeline from record
pages, and completing a follow-up."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.forms import field_errors_of
from guanxi.core.permissions import Action
from guanxi.core.views import (
    BulkActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    WorkspaceViewMixin,
)
from guanxi.interactions.filtersets import InteractionFilterSet
from guanxi.interactions.forms import InteractionForm, QuickInteractionForm
from guanxi.interactions.panels import quick_log_context, timeline_context
from guanxi.interactions.selectors import interaction_list
from guanxi.interactions.services import (
    follow_up_complete,
    interaction_create,
    interaction_delete,
    interaction_update,
)

# htmx event the quick-log form sends on success; the timeline panel reloads on it
LOGGED_EVENT = "interactionLogged"


class InteractionViews:
    resource = "interactions"
    selector = interaction_list


class InteractionListView(InteractionViews, ObjectListView):
    filterset_class = InteractionFilterSet
    table_template = "interactions/partials/_table.html"
    sortable = {"occurred": "occurred_at", "follow_up": "next_follow_up", "created": "created_at"}
    filter_fields = ["channel", "status", "owner", "follow_up", "occurred_after", "occurred_before"]
    search_placeholder = gettext_lazy("Subject")

    def action_context(self) -> dict[str, Any]:
        # interactions have no tags: of the bulk actions only delete applies
        context = super().action_context()
        context.update(can_bulk_change=False, bulk_form=None)
        if not context["can_bulk_delete"]:
            context["bulk_url"] = ""
        return context


class InteractionDetailView(InteractionViews, ObjectDetailView):
    template_name = "interactions/interaction_detail.html"


class InteractionEditView(InteractionViews, ObjectEditView):
    form_class = InteractionForm
    create_service = interaction_create
    update_service = interaction_update
    template_name = "interactions/interaction_form.html"

    def get_initial(self) -> dict[str, Any]:
        """`?contact=<id>` or `?company=<id>` (from a record's page) fills in the customer."""
        initial = super().get_initial()
        for name, selector in (("contact", contact_list), ("company", company_list)):
            record = visible_record(selector, self.membership, self.request.GET.get(name, ""))
            if record is not None:
                initial[name] = record.pk if name == "contact" else record.name
        return initial


class InteractionDeleteView(InteractionViews, ObjectDeleteView):
    delete_service = interaction_delete


class InteractionBulkView(InteractionViews, BulkActionView):
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


class RecordPanelView(InteractionViews, WorkspaceViewMixin, View):
    """Base of the endpoints behind a contact's or company's panels: the record must be visible."""

    record_selector: ClassVar[Any]

    def record(self) -> Model:
        records: QuerySet = type(self).record_selector(membership=self.membership)
        return get_object_or_404(records.prefetch_related(None), pk=self.kwargs["pk"])


class QuickLogView(RecordPanelView):
    """POST from the quick-log panel: log the interaction, answer a fresh form and tell the
    timeline to reload (htmx); without htmx, go back to the record's page."""

    http_method_names = ["post"]
    permission_action = Action.ADD
    template_name = "interactions/partials/_quick_form.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.record()
        form = QuickInteractionForm(request.POST, request=request, record=record)
        if form.is_valid():
            try:
                interaction_create(
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
                    messages.success(request, _("The interaction was logged."))
                    return redirect(record.get_absolute_url())
                context = quick_log_context(record, request, logged=True)
                response = render(request, self.template_name, context)
                response["HX-Trigger"] = LOGGED_EVENT
                return response
        if not request.htmx:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(record.get_absolute_url())
        return render(request, self.template_name, quick_log_context(record, request, form))


class QuickLogContactView(QuickLogView):
    record_selector = contact_list


class QuickLogCompanyView(QuickLogView):
    record_selector = company_list


class TimelineView(RecordPanelView):
    """GET: the timeline (filtered by `kind`), or with `before` the next entries for "load more"."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.record()
        before = None
        if request.GET.get("before"):
            try:
                before = parse_datetime(request.GET["before"][:64])
            except ValueError:
                before = None
            if before is None:
                return HttpResponseBadRequest(_("The timeline cursor is not a valid time."))
        context = timeline_context(
            record, self.membership, kind=request.GET.get("kind", "")[:32], before=before
        )
        template = (
            "interactions/partials/_timeline_items.html"
            if before is not None
            else "interactions/partials/_timeline.html"
        )
        return render(request, template, {"panel": context})


class TimelineContactView(TimelineView):
    # the timeline shows the record, so the record's own resource decides who may open it
    resource = "contacts"
    record_selector = contact_list


class TimelineCompanyView(TimelineView):
    resource = "companies"
    record_selector = company_list


class FollowUpCompleteView(InteractionViews, WorkspaceViewMixin, View):
    """POST: the follow-up is done. htmx gets the finished row; a form post goes back."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        interaction = self.get_object()
        self.require(Action.CHANGE, interaction)
        follow_up_complete(interaction=interaction, actor=request.user)
        if request.htmx:
            return render(
                request, "interactions/partials/_follow_up_done.html", {"item": interaction}
            )
        messages.success(
            request, _("Follow-up of “%(name)s” marked as done.") % {"name": interaction}
        )
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect(interaction.get_absolute_url())
