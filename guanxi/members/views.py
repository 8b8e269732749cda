"""Member pages: list, detail, enrol, edit, delete; record transactions; redeem and adjust
points; the transactions list; loyalty settings."""

from __future__ import annotations

import copy
import uuid
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.forms import field_errors_of
from guanxi.core.permissions import Action
from guanxi.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    WorkspaceViewMixin,
)
from guanxi.members.filtersets import MemberFilterSet, TransactionFilterSet
from guanxi.members.forms import (
    AdjustForm,
    LoyaltySettingsForm,
    MemberCreateForm,
    MemberForm,
    RedeemForm,
    TransactionForm,
)
from guanxi.members.ledger import points_adjust, points_redeem
from guanxi.members.panels import LEVEL_BADGES
from guanxi.members.permissions import ADJUST_POINTS
from guanxi.members.selectors import (
    RESOURCE,
    enrollable_contacts,
    loyalty_settings_of,
    member_list,
    points_entry_list,
    transaction_list,
)
from guanxi.members.services import (
    loyalty_settings_update,
    member_delete,
    member_enrol,
    member_update,
    transaction_record_once,
)
from guanxi.workspaces.permissions import MANAGE

DETAIL_ROWS = 20


class MemberViews:
    resource = RESOURCE
    selector = member_list


class MemberListView(MemberViews, ObjectListView):
    template_name = "members/member_list.html"
    filterset_class = MemberFilterSet
    table_template = "members/partials/_table.html"
    sortable = {
        "number": "member_number",
        "points": "points_balance",
        "spend": "total_consumption",
        "recency": "last_purchase_at",
    }
    filter_fields = [
        "level",
        "status",
        "min_spend",
        "max_spend",
        "last_purchase_after",
        "last_purchase_before",
        "owner",
        "tag",
    ]
    search_placeholder = gettext_lazy("Member number or name")
    bulk_actions = False


class MemberDetailView(MemberViews, ObjectDetailView):
    template_name = "members/member_detail.html"

    def detail_context(self, record: Model) -> dict[str, Any]:
        can_change = self.can(Action.CHANGE, record)
        can_adjust = self.can(ADJUST_POINTS, record)
        return {
            "level_badge": LEVEL_BADGES.get(record.level, "secondary"),
            "transactions": list(record.transactions.order_by("-id")[:DETAIL_ROWS]),
            "ledger": list(points_entry_list(member=record)[:DETAIL_ROWS]),
            "level_changes": list(record.level_changes.all()[:DETAIL_ROWS]),
            "interest_tags": list(record.interest_tags.all()),
            "transactions_url": f"{reverse('members:transactions')}?member={record.pk}",
            "transaction_url": reverse("members:transaction_create", args=[record.pk])
            if can_change
            else "",
            "redeem_url": reverse("members:redeem", args=[record.pk]) if can_change else "",
            "adjust_url": reverse("members:adjust", args=[record.pk]) if can_adjust else "",
        }


class MemberCreateView(MemberViews, ObjectEditView):
    form_class = MemberCreateForm
    create_service = member_enrol
    template_name = "members/member_form.html"

    def get_initial(self) -> dict[str, Any]:
        return {"joined_at": timezone.localdate()}


class MemberEditView(MemberViews, ObjectEditView):
    form_class = MemberForm
    update_service = member_update
    template_name = "members/member_form.html"


class MemberDeleteView(MemberViews, ObjectDeleteView):
    delete_service = member_delete
    template_name = "members/member_delete.html"

    def confirm_context(self, record: Model) -> dict[str, Any]:
        return {
            "warning": _(
                "Its transactions, points and level history are deleted with it; the contact stays."
            )
        }


class FormPageView(MemberViews, WorkspaceViewMixin, View):
    """A form about one record (its id in the URL) that calls one service, then goes back."""

    form_class: ClassVar[type[forms.Form]]
    template_name: ClassVar[str] = "members/form_page.html"
    title: ClassVar[Any]
    submit_label: ClassVar[Any] = gettext_lazy("Save")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self.target()
        return self.render_page(self.build_form(target), target)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self.target()
        form = self.build_form(target, request.POST)
        if form.is_valid():
            try:
                done = self.perform(target, form.cleaned_data)
            except ApplicationError as exc:
                field_errors_of(form, exc.as_field_errors())
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                return redirect(done)
        return self.render_page(form, target)

    def target(self) -> Model:
        record = self.get_object()
        self.require(self.required_action(), record)
        return record

    def build_form(self, target: Model, data: Any = None) -> forms.Form:
        return self.form_class(data, initial=self.initial(target))

    def initial(self, target: Model) -> dict[str, Any]:
        return {}

    def perform(self, target: Model, data: dict[str, Any]) -> str:
        """Call the service; return where to go next."""
        raise NotImplementedError

    def render_page(self, form: forms.Form, target: Model) -> HttpResponse:
        context = {
            "form": form,
            "object": target,
            "title": self.title,
            "submit_label": self.submit_label,
            "cancel_url": target.get_absolute_url(),
        }
        return render(self.request, self.template_name, context)


class EnrolView(FormPageView):
    """ "Enrol as member" from the contact page: the contact is in the URL."""

    permission_action = Action.ADD
    form_class = MemberForm
    title = gettext_lazy("Enrol as member")
    submit_label = gettext_lazy("Enrol")

    def target(self) -> Model:
        return get_object_or_404(
            enrollable_contacts(membership=self.membership), pk=self.kwargs["pk"]
        )

    def build_form(self, target: Model, data: Any = None) -> forms.Form:
        initial = {"joined_at": timezone.localdate()}
        return MemberForm(data, initial=initial, request=self.request)

    def perform(self, target: Model, data: dict[str, Any]) -> str:
        member = member_enrol(
            workspace=self.membership.workspace, contact=target, actor=self.request.user, **data
        )
        messages.success(
            self.request,
            _("%(name)s is now member %(number)s.")
            % {"name": target.name, "number": member.member_number},
        )
        return member.get_absolute_url()


class TransactionCreateView(FormPageView):
    """Record a purchase or return; a hidden key makes a double submit record it once."""

    permission_action = Action.CHANGE
    form_class = TransactionForm
    title = gettext_lazy("Record a transaction")
    submit_label = gettext_lazy("Record")

    def build_form(self, target: Model, data: Any = None) -> forms.Form:
        form = TransactionForm(
            data,
            initial={"occurred_on": timezone.localdate(), "kind": self.request.GET.get("kind")},
        )
        form.fields["idempotency_key"] = forms.CharField(
            widget=forms.HiddenInput, initial=uuid.uuid4().hex, max_length=64
        )
        return form

    def perform(self, target: Model, data: dict[str, Any]) -> str:
        record, created = transaction_record_once(
            workspace=self.membership.workspace, member=target, actor=self.request.user, **data
        )
        if created:
            messages.success(
                self.request,
                _("%(kind)s of %(amount)s recorded.")
                % {"kind": record.get_kind_display(), "amount": record.amount},
            )
        else:
            messages.info(self.request, _("This transaction was already recorded."))
        return target.get_absolute_url()


class RedeemView(FormPageView):
    permission_action = Action.CHANGE
    form_class = RedeemForm
    title = gettext_lazy("Redeem points")
    submit_label = gettext_lazy("Redeem")

    def perform(self, target: Model, data: dict[str, Any]) -> str:
        points_redeem(member=target, actor=self.request.user, **data)
        messages.success(
            self.request, _("%(points)s points redeemed.") % {"points": data["points"]}
        )
        return target.get_absolute_url()


class AdjustView(FormPageView):
    permission_action = ADJUST_POINTS
    form_class = AdjustForm
    title = gettext_lazy("Adjust points")

    def perform(self, target: Model, data: dict[str, Any]) -> str:
        points_adjust(member=target, actor=self.request.user, **data)
        messages.success(self.request, _("The points were adjusted."))
        return target.get_absolute_url()


class TransactionListView(ObjectListView):
    resource = RESOURCE
    selector = transaction_list
    filterset_class = TransactionFilterSet
    table_template = "members/partials/_transaction_table.html"
    sortable = {"date": "occurred_on", "amount": "amount"}
    filter_fields = ["kind", "occurred_after", "occurred_before"]
    search_placeholder = gettext_lazy("Member number, channel or reference")
    bulk_actions = False

    def action_context(self) -> dict[str, Any]:
        # transactions are recorded from a member's page
        return {"add_url": "", "bulk_url": "", "can_bulk_change": False, "can_bulk_delete": False}


class LoyaltySettingsView(WorkspaceViewMixin, View):
    """Level thresholds, points rules and member numbers (administrators only)."""

    resource = "workspace"
    selector = member_list
    permission_action = MANAGE
    template_name = "members/settings.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = loyalty_settings_of(self.membership.workspace)
        return self.render_page(LoyaltySettingsForm(instance=settings))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = loyalty_settings_of(self.membership.workspace)
        # the form writes on a copy: the service must still see the stored values
        form = LoyaltySettingsForm(request.POST, instance=copy.copy(settings))
        if form.is_valid():
            try:
                loyalty_settings_update(
                    workspace=self.membership.workspace,
                    actor=request.user,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                messages.success(request, _("The loyalty settings were saved."))
                return redirect("members:settings")
        return self.render_page(form)

    def render_page(self, form: forms.Form) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form})
