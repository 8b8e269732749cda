"""Lead pages: list, detail (score breakdown, lineage), create, edit, delete, bulk actions,
assign by rules, convert; and the lead settings (scoring model, web form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import View

from guanxi.assignment.services import preview, preview_user
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
from guanxi.leads.filtersets import LeadFilterSet
from guanxi.leads.forms import LeadConvertForm, LeadForm, ScoringModelForm, WebFormSettingsForm
from guanxi.leads.models import Lead, WebForm
from guanxi.leads.selectors import lead_list, lead_score_history
from guanxi.leads.services import (
    LEAD_OBJECT_TYPE,
    lead_assign,
    lead_convert,
    lead_create,
    lead_delete,
    lead_update,
    scoring_model_for,
    scoring_model_update,
)
from guanxi.leads.webform import web_form_for, web_form_regenerate


class LeadViews:
    resource = "leads"
    selector = lead_list


class LeadListView(LeadViews, ObjectListView):
    filterset_class = LeadFilterSet
    table_template = "leads/partials/_table.html"
    sortable = {"name": "name", "score": "score", "status": "status", "created": "created_at"}
    filter_fields = [
        "owner",
        "status",
        "score_stage",
        "priority",
        "source",
        "industry",
        "score_min",
        "utm_campaign",
        "tag",
    ]
    search_placeholder = _lazy("Name, company, exact mobile or email")


class LeadDetailView(LeadViews, ObjectDetailView):
    template_name = "leads/lead_detail.html"

    def detail_context(self, record: Model) -> dict[str, Any]:
        history = lead_score_history(lead=record)
        rule = None if record.is_converted else preview(record, object_type=LEAD_OBJECT_TYPE)
        return {
            "breakdown": history[0].breakdown if history else [],
            "score_history": history,
            "assignment_rule": rule,
            "assignment_user": preview_user(record, rule=rule) if rule else None,
            "can_convert": not record.is_converted and self.can(Action.CHANGE, record),
        }


class LeadEditView(LeadViews, ObjectEditView):
    form_class = LeadForm
    create_service = lead_create
    update_service = lead_update
    template_name = "leads/lead_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refuse_converted() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refuse_converted() or super().post(request, *args, **kwargs)

    def refuse_converted(self) -> HttpResponse | None:
        if "pk" not in self.kwargs:
            return None
        record = self.get_object()
        if not record.is_converted:
            return None
        messages.error(
            self.request, _("This lead was converted and is read-only; edit the records it became.")
        )
        return redirect(record.get_absolute_url())


class LeadDeleteView(LeadViews, ObjectDeleteView):
    delete_service = lead_delete


class LeadBulkView(LeadViews, BulkActionView):
    pass


class LeadAssignView(LeadViews, WorkspaceViewMixin, View):
    """POST: route the lead through the assignment rules again."""

    permission_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lead = self.get_object()
        self.require(Action.CHANGE, lead)
        try:
            result = lead_assign(lead=lead, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(lead.get_absolute_url())
        if result.user is None:
            messages.warning(request, _("No assignment rule matched this lead; nothing changed."))
        else:
            messages.success(
                request,
                _("Rule “%(rule)s” assigned the lead to %(user)s.")
                % {"rule": result.rule, "user": result.user},
            )
        if not self.get_queryset().filter(pk=lead.pk).exists():
            return redirect(reverse("leads:list"))
        return redirect(lead.get_absolute_url())


class LeadConvertView(LeadViews, WorkspaceViewMixin, View):
    """GET: what the conversion will create or link; POST: convert, atomically."""

    permission_action = Action.CHANGE
    template_name = "leads/lead_convert.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lead = self.convertible()
        if isinstance(lead, HttpResponse):
            return lead
        return self.render_form(lead, LeadConvertForm(lead=lead))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lead = self.convertible()
        if isinstance(lead, HttpResponse):
            return lead
        form = LeadConvertForm(request.POST, lead=lead)
        if form.is_valid():
            data = form.cleaned_data
            try:
                converted = lead_convert(
                    lead=lead,
                    actor=request.user,
                    company_name=data["company_name"],
                    contact=data.get("contact"),
                    create_opportunity=data["create_opportunity"],
                    opportunity_name=data["opportunity_name"],
                    amount=data["amount"],
                    expected_close=data["expected_close"],
                )
            except ApplicationError as exc:
                field_errors_of(form, exc.as_field_errors())
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                messages.success(request, _("The lead was converted."))
                return redirect(converted.get_absolute_url())
        return self.render_form(lead, form)

    def convertible(self) -> Lead | HttpResponse:
        lead = self.get_object()
        self.require(Action.CHANGE, lead)
        if lead.is_converted:
            messages.error(self.request, _("This lead was already converted."))
            return redirect(lead.get_absolute_url())
        return lead

    def render_form(self, lead: Lead, form: LeadConvertForm) -> HttpResponse:
        context = {**self.base_context(), "object": lead, "form": form}
        return render(self.request, self.template_name, context)


# --- settings -------------------------------------------------------------------------------------
class LeadSettingsViews(WorkspaceViewMixin):
    resource = "lead_settings"

    @staticmethod
    def selector(*, membership: Any, action: str = Action.VIEW) -> Any:
        return Lead.objects.none()

    def required_action(self) -> str:
        return Action.CHANGE if self.request.method == "POST" else Action.VIEW


class ScoringSettingsView(LeadSettingsViews, View):
    template_name = "leads/scoring_settings.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model = scoring_model_for(self.membership.workspace)
        return self.render_form(ScoringModelForm(scoring_model=model), model)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model = scoring_model_for(self.membership.workspace)
        form = ScoringModelForm(request.POST, scoring_model=model)
        if form.is_valid():
            data = form.cleaned_data
            try:
                scoring_model_update(
                    scoring_model=model,
                    actor=request.user,
                    data={
                        "criteria": data["criteria"],
                        "mql_threshold": data["mql_threshold"],
                        "sql_threshold": data["sql_threshold"],
                    },
                )
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                messages.success(
                    request, _("The scoring model was saved; every lead is being re-scored.")
                )
                return redirect(reverse("leads:scoring"))
        return self.render_form(form, model)

    def render_form(self, form: ScoringModelForm, model: Any) -> HttpResponse:
        context = {"form": form, "scoring_model": model, "can_change": self.can(Action.CHANGE)}
        return render(self.request, self.template_name, context)


class WebFormSettingsView(LeadSettingsViews, View):
    template_name = "leads/web_form_settings.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        web_form = web_form_for(self.membership.workspace)
        return self.render_page(WebFormSettingsForm(instance=web_form), web_form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        web_form = web_form_for(self.membership.workspace)
        if "regenerate" in request.POST:
            web_form_regenerate(web_form=web_form, actor=request.user)
            messages.success(request, _("The form has a new address; the old one no longer works."))
            return redirect(reverse("leads:web_form"))
        form = WebFormSettingsForm(request.POST, instance=web_form)
        if form.is_valid():
            form.save()
            messages.success(request, _("The web form settings were saved."))
            return redirect(reverse("leads:web_form"))
        return self.render_page(form, web_form)

    def render_page(self, form: WebFormSettingsForm, web_form: WebForm) -> HttpResponse:
        url = self.request.build_absolute_uri(reverse("lead_form:form", args=[web_form.token]))
        context = {
            "form": form,
            "web_form": web_form,
            "public_url": url,
            "can_change": self.can(Action.CHANGE),
        }
        return render(self.request, self.template_name, context)
