"""Deal pages (list, detail, edit, delete, move, won/lost, checklist, decision chain)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.errors import validation_error_fields
from guanxi.core.permissions import Action
from guanxi.core.views import (
    BulkActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    WorkspaceViewMixin,
)
from guanxi.opportunities.filtersets import OpportunityFilterSet
from guanxi.opportunities.forms import DealContactForm, LostForm, OpportunityForm
from guanxi.opportunities.gates import GATEABLE_FIELDS, is_filled
from guanxi.opportunities.models import OpportunityContact, Stage, StageHistory
from guanxi.opportunities.selectors import opportunity_contacts, opportunity_list
from guanxi.opportunities.services import (
    opportunity_contact_remove,
    opportunity_contact_set,
    opportunity_create,
    opportunity_delete,
    opportunity_mark_lost,
    opportunity_mark_won,
    opportunity_move,
    opportunity_toggle_checklist,
    opportunity_update,
    pipeline_stages,
)


def first_message(exc: ValidationError) -> str:
    fields = validation_error_fields(exc)
    for messages_of_field in fields.values():
        if messages_of_field:
            return str(messages_of_field[0])
    return " ".join(str(m) for m in exc.messages)


class OpportunityViews:
    resource = "opportunities"
    selector = opportunity_list


class OpportunityListView(OpportunityViews, ObjectListView):
    filterset_class = OpportunityFilterSet
    table_template = "opportunities/partials/_table.html"
    sortable = {
        "name": "name",
        "amount": "amount",
        "close": "expected_close",
        "created": "created_at",
    }
    filter_fields = [
        "pipeline",
        "stage",
        "status",
        "owner",
        "team",
        "close_period",
        "amount_min",
        "amount_max",
    ]
    search_placeholder = gettext_lazy("Deal name")

    def action_context(self) -> dict[str, Any]:
        # deals have no tags: of the bulk actions only assign owner and delete apply
        context = super().action_context()
        context["bulk_form"] = None
        return context


class OpportunityBulkView(OpportunityViews, BulkActionView):
    def apply(self, data: dict[str, Any], records: list[Model]) -> int:
        if data["action"] not in ("delete", "assign_owner"):
            return 0
        return super().apply(data, records)


class OpportunityDetailView(OpportunityViews, ObjectDetailView):
    template_name = "opportunities/opportunity_detail.html"

    def detail_context(self, record: Model) -> dict[str, Any]:
        stages = pipeline_stages(record.pipeline_id)
        history = list(
            StageHistory.objects.filter(opportunity=record)
            .select_related("to_stage", "actor")
            .order_by("entered_at", "id")
        )
        done = set(record.checklist_done or ())
        checklist = [
            {"stage": stage, "item": item, "done": item in done}
            for stage in stages
            for item in stage.checklist
        ]
        gates = [
            {
                "stage": stage,
                "missing": [
                    GATEABLE_FIELDS[name]
                    for name in stage.required_fields
                    if not is_filled(record, name)
                ],
            }
            for stage in stages
            if stage.required_fields
        ]
        can_change = self.can(Action.CHANGE, record)
        return {
            "stages": stages,
            "stage_history": history,
            "checklist": checklist,
            "gates": gates,
            "deal_contacts": list(opportunity_contacts(record)),
            "contact_form": (
                DealContactForm(membership=self.membership, opportunity=record)
                if can_change
                else None
            ),
            "lost_form": LostForm() if can_change else None,
        }


class OpportunityEditView(OpportunityViews, ObjectEditView):
    form_class = OpportunityForm
    create_service = opportunity_create
    update_service = opportunity_update
    template_name = "opportunities/opportunity_form.html"

    def get_initial(self) -> dict[str, Any]:
        """`?company=<id>` or `?contact=<id>` (from a record's page) fills in the customer."""
        initial = super().get_initial()
        company = visible(company_list, self.membership, self.request.GET.get("company", ""))
        contact = visible(contact_list, self.membership, self.request.GET.get("contact", ""))
        if contact is not None:
            initial["primary_contact"] = contact.pk
            company = company or contact.company
        if company is not None:
            initial["company"] = company.name
            initial["company_id"] = company.pk
        return initial


def visible(selector, membership, pk: str) -> Model | None:
    if not pk:
        return None
    try:
        return selector(membership=membership).prefetch_related(None).filter(pk=pk).first()
    except ValidationError:
        return None


class OpportunityDeleteView(OpportunityViews, ObjectDeleteView):
    delete_service = opportunity_delete


class DealActionView(OpportunityViews, WorkspaceViewMixin, View):
    """A POST that changes one deal the member may change."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def deal(self) -> Model:
        record = self.get_object()
        self.require(Action.CHANGE, record)
        return record

    def back(self, record: Model) -> HttpResponse:
        return redirect(record.get_absolute_url())


class OpportunityMoveView(DealActionView):
    """Move to a stage. The board posts with fetch and reads JSON ({ok, reason}); a form post
    from the detail page gets a flash message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            record = self.deal()
        except PermissionDenied:
            if wants_json:
                return JsonResponse(
                    {"ok": False, "reason": _("Your role may not move this deal.")}, status=403
                )
            raise
        stage = (
            Stage.objects.filter(
                pipeline_id=record.pipeline_id, pk=request.POST.get("stage")
            ).first()
            if _is_uuid(request.POST.get("stage", ""))
            else None
        )
        try:
            if stage is None:
                raise ValidationError({"stage": _("Choose a stage of this deal's pipeline.")})
            opportunity_move(
                opportunity=record,
                stage=stage,
                actor=request.user,
                lost_reason=request.POST.get("lost_reason", "")[:2000],
            )
        except ValidationError as exc:
            reason = first_message(exc)
            if wants_json:
                return JsonResponse({"ok": False, "reason": reason}, status=400)
            messages.error(request, reason)
            return self.back(record)
        text = _("“%(deal)s” moved to “%(stage)s”.") % {"deal": record.name, "stage": stage.name}
        if wants_json:
            return JsonResponse({"ok": True, "message": text, "status": record.status})
        messages.success(request, text)
        return self.back(record)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class OpportunityWonView(DealActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deal()
        try:
            opportunity_mark_won(opportunity=record, actor=request.user)
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("“%(deal)s” is won.") % {"deal": record.name})
        return self.back(record)


class OpportunityLostView(DealActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deal()
        form = LostForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason the deal was lost."))
            return self.back(record)
        try:
            opportunity_mark_lost(
                opportunity=record, actor=request.user, lost_reason=form.cleaned_data["lost_reason"]
            )
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("“%(deal)s” is marked as lost.") % {"deal": record.name})
        return self.back(record)


class ChecklistToggleView(DealActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deal()
        try:
            opportunity_toggle_checklist(
                opportunity=record,
                actor=request.user,
                item=request.POST.get("item", "")[:200],
                done=request.POST.get("done") == "1",
            )
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        return self.back(record)


class DealContactAddView(DealActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deal()
        form = DealContactForm(request.POST, membership=self.membership, opportunity=record)
        if form.is_valid():
            opportunity_contact_set(opportunity=record, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The decision chain was updated."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return self.back(record)


class DealContactRemoveView(DealActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deal()
        link = get_object_or_404(OpportunityContact, opportunity=record, pk=self.kwargs["link_pk"])
        opportunity_contact_remove(link=link, actor=request.user)
        messages.success(request, _("The contact was removed from the decision chain."))
        return self.back(record)
