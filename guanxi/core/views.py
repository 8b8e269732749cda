"""Generic web UI views: scoped to the request's workspace, checked against the role, writing through services.

Subclasses declare a few attributes (`resource`, `selector`, `filterset_class`, `form_class`,
services, templates) and may narrow the scoped queryset in `filter_scoped_queryset`. They may
not replace `get_queryset` or `dispatch` (refused when the class is created), so no page can
skip the workspace, the visibility rules or the role check.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import View
from django_filters import FilterSet
from django_htmx.http import HttpResponseClientRedirect

from guanxi.audit.selectors import record_history
from guanxi.core.bulk import (
    records_bulk_assign_owner,
    records_bulk_delete,
    records_bulk_tag,
)
from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.forms import (
    BULK_ACTIONS,
    BulkActionForm,
    WorkspaceModelForm,
    apply_widget_classes,
    field_errors_of,
    single_choice_filters,
)
from guanxi.core.models import Tag
from guanxi.core.paging import page_number, paginate
from guanxi.core.panels import panels_for
from guanxi.core.permissions import Action, role_can
from guanxi.core.services import tags_by_name
from guanxi.customfields.columns import list_columns
from guanxi.workspaces.permissions import can_view_sensitive

AUTOCOMPLETE_LIMIT = 20
MAX_SEARCH_LENGTH = 100
# the list's table partial is swapped into the element with this id
TABLE_TARGET = "object-table"
# inline validation: htmx posts the form with this header; nothing is saved
VALIDATE_ONLY_HEADER = "X-Validate-Only"
# …and app.js names the field that changed, so untouched fields show no errors yet
VALIDATE_FIELD_HEADER = "X-Validate-Field"


def mask_sensitive(records: Iterable[Model], role: str) -> None:
    """Replace personal fields with their masked form on records shown to a role without view_sensitive.

    Done on the fetched rows, before any template sees them; these instances are display-only.
    """
    if can_view_sensitive(role):
        return
    for record in records:
        for name, mask in getattr(type(record), "audit_masks", {}).items():
            value = getattr(record, name, "")
            if value:
                setattr(record, name, mask(value))


# Django's select template renders one sub-template per option; on a list page the filter
# selects hold every owner and tag, so they use a template with the options inlined
INLINE_SELECT_TEMPLATE = "core/widgets/select.html"
STOCK_SELECT_TEMPLATES = (
    "django/forms/widgets/select.html",
    "django/forms/widgets/select_option.html",
)


def inline_select_options(form: forms.BaseForm) -> None:
    """Render the form's selects with INLINE_SELECT_TEMPLATE (same markup, one template)."""
    for field in form.fields.values():
        widget = field.widget
        if (
            widget.template_name,
            getattr(widget, "option_template_name", ""),
        ) == STOCK_SELECT_TEMPLATES:
            widget.template_name = INLINE_SELECT_TEMPLATE


class WorkspaceViewMixin:
    """Login, membership, role check and the one scoped queryset every page reads through."""

    resource: ClassVar[str]
    selector: ClassVar[Callable[..., QuerySet]]
    permission_action: ClassVar[str] = Action.VIEW
    request: HttpRequest
    kwargs: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("get_queryset", "dispatch"):
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} must not override {name}; narrow the queryset in filter_scoped_queryset()."
                )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            login = redirect_to_login(request.get_full_path())
            return HttpResponseClientRedirect(login.url) if request.htmx else login
        self.membership = getattr(request, "membership", None)
        if self.membership is None:
            return render(request, "core/no_workspace.html", status=403)
        try:
            if not role_can(self.membership.role, self.resource, self.required_action()):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return render(request, "core/forbidden.html", status=403)

    def required_action(self) -> str:
        """The permission this request needs (views whose need depends on the request override it)."""
        return self.permission_action

    # --- reads --------------------------------------------------------------------------
    def get_queryset(self, action: str = Action.VIEW) -> QuerySet:
        """What this membership may `action`: the app's selector, pinned to the workspace again."""
        membership = self.membership
        queryset = (
            type(self)
            .selector(membership=membership, action=action)
            .filter(workspace=membership.workspace)
        )
        return self.filter_scoped_queryset(queryset)

    def filter_scoped_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_object(self) -> Model:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def can(self, action: str, record: Model | None = None) -> bool:
        """The role allows `action`, and the record (if given) is within the role's write scope."""
        if not role_can(self.membership.role, self.resource, action):
            return False
        return record is None or self.get_queryset(action).filter(pk=record.pk).exists()

    def require(self, action: str, record: Model | None = None) -> None:
        if not self.can(action, record):
            raise PermissionDenied

    # --- naming -------------------------------------------------------------------------
    @property
    def model(self) -> type[Model]:
        return self.get_queryset().model

    def url_name(self, name: str) -> str:
        """`<this app's namespace>:<name>`, so apps need not spell their own URL names."""
        return f"{self.request.resolver_match.namespace}:{name}"

    def base_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "view": self,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.url_name("list")),
        }


# `?count=1`: only the count line of the page (see _page_count.html)
COUNT_PARAM = "count"


class ObjectListView(WorkspaceViewMixin, View):
    """A filtered, sorted, paginated list; htmx requests aimed at the table get only the table."""

    filterset_class: ClassVar[type[FilterSet]]
    table_template: ClassVar[str]
    template_name: ClassVar[str] = "core/object_list.html"
    # public sort key → ORM field; only these may be sorted on (`?sort=name`, `?sort=-name`)
    sortable: ClassVar[dict[str, str]] = {}
    # filters shown on the page (the FilterSet may accept more, e.g. from the API or links)
    filter_fields: ClassVar[list[str]] = []
    search_param: ClassVar[str] = "search"
    search_placeholder: ClassVar[str] = ""
    bulk_actions: ClassVar[bool] = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset = self.filterset_class(
            request.GET or None, queryset=self.get_queryset(), request=request
        )
        single_choice_filters(filterset.form)
        apply_widget_classes(filterset.form)
        inline_select_options(filterset.form)
        queryset = filterset.qs
        sort = self.current_sort()
        if sort:
            queryset = queryset.order_by(*self.ordering_for(sort))
        number = page_number(request.GET.get("page"))
        if request.GET.get(COUNT_PARAM) == "1":
            page = paginate(queryset, number)
            return render(request, "core/partials/_page_count.html", {"page": page})
        # counting thousands of matches of a search costs more than finding a page of them
        # (张 among 1,000,000 contacts: 31 ms against 5 ms), so its count loads after the rows
        searching = bool(str((filterset.data or {}).get(self.search_param, "")).strip())
        page = paginate(queryset, number, count=not searching)
        mask_sensitive(page.object_list, self.membership.role)
        context = {
            **self.base_context(),
            "page": page,
            "object_list": page.object_list,
            "filterset": filterset,
            "sort": sort,
            "is_filtered": self.is_filtered(filterset),
            "table_template": self.table_template,
            "table_target": TABLE_TARGET,
            **self.action_context(),
            "export_links": self.export_links(),
        }
        context["filter_fields"] = [
            filterset.form[name]
            for name in self.page_filter_names(filterset)
            if name in filterset.form.fields
        ]
        context["search_field"] = filterset.form[self.search_param]
        context["columns"] = list_columns(
            membership=self.membership, list_name=self.model._meta.label_lower
        )
        template = self.table_template if self.wants_table_only() else self.template_name
        return render(request, template, context)

    def page_filter_names(self, filterset: FilterSet) -> list[str]:
        """The view's filters, "all of these tags" after the tag filter, then the custom field
        selects the FilterSet added for this workspace."""
        names: list[str] = []
        for name in self.filter_fields:
            names.append(name)
            if name == "tag":
                names.append("tags_all")
        return names + list(getattr(filterset, "custom_page_filters", []))

    def wants_table_only(self) -> bool:
        htmx = self.request.htmx
        return bool(htmx) and htmx.target == TABLE_TARGET and not htmx.history_restore_request

    def current_sort(self) -> str:
        raw = self.request.GET.get("sort", "")
        return raw if raw.removeprefix("-") in self.sortable else ""

    def ordering_for(self, sort: str) -> list[str]:
        direction = "-" if sort.startswith("-") else ""
        # the primary key breaks ties, so rows never swap places between pages
        return [direction + self.sortable[sort.removeprefix("-")], direction + "pk"]

    def is_filtered(self, filterset: FilterSet) -> bool:
        return any(filterset.data.get(name) for name in filterset.filters)

    def action_context(self) -> dict[str, Any]:
        can_change = self.bulk_actions and self.can(Action.CHANGE)
        can_delete = self.bulk_actions and self.can(Action.DELETE)
        return {
            "add_url": reverse(self.url_name("create")) if self.can(Action.ADD) else "",
            "bulk_url": reverse(self.url_name("bulk")) if can_change or can_delete else "",
            "can_bulk_change": can_change,
            "can_bulk_delete": can_delete,
            "bulk_form": BulkActionForm(request=self.request) if can_change else None,
        }

    def export_links(self) -> list[tuple[str, str]]:
        """(label, url) of the imports app's export of this list with the current filters,
        when it has one and the role may export."""
        from django.urls import NoReverseMatch

        if not self.can(Action.EXPORT):
            return []
        # named after the list: contacts:list → export_contacts, members:transactions → …_transactions
        match = self.request.resolver_match
        name = match.namespace if match.url_name == "list" else match.url_name
        try:
            url = reverse(f"imports:export_{name}")
        except NoReverseMatch:
            return []
        query = self.request.GET.copy()
        query.pop("page", None)
        links = []
        for file_format, label in (("csv", _("Export CSV")), ("xlsx", _("Export Excel (.xlsx)"))):
            query["format"] = file_format
            links.append((label, f"{url}?{query.urlencode()}"))
        return links


class ObjectDetailView(WorkspaceViewMixin, View):
    """One record with its history; `detail_context` adds related lists."""

    template_name: ClassVar[str]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            record = self.get_object()
        except Http404:
            # a record merged into another (quality app): its old links lead to the survivor
            survivor_id = self.merged_survivor_id()
            if survivor_id is None:
                raise
            return redirect(reverse(self.url_name("detail"), args=[survivor_id]))
        mask_sensitive([record], self.membership.role)
        context = {
            **self.base_context(),
            "object": record,
            # the history partial shows the newest events and says when there are more
            "history": record_history(record=record),
            "can_change": self.can(Action.CHANGE, record),
            "can_delete": self.can(Action.DELETE, record),
            "panels": panels_for(record, self.membership, request),
            **self.detail_context(record),
        }
        return render(request, self.template_name, context)

    def detail_context(self, record: Model) -> dict[str, Any]:
        return {}

    def merged_survivor_id(self) -> Any:
        from guanxi.quality.selectors import merged_survivor_id

        return merged_survivor_id(
            workspace=self.membership.workspace,
            record_type=self.model._meta.label_lower,
            old_id=self.kwargs["pk"],
        )


class ObjectEditView(WorkspaceViewMixin, View):
    """Create (no pk in the URL) or update a record through the app's services.

    A POST with the X-Validate-Only header validates and answers the changed field's errors
    (htmx swaps them out of band) without saving.
    """

    form_class: ClassVar[type[WorkspaceModelForm]]
    create_service: ClassVar[Callable[..., Model]]
    update_service: ClassVar[Callable[..., Model]]
    template_name: ClassVar[str] = "core/object_edit.html"

    def required_action(self) -> str:
        return Action.CHANGE if "pk" in self.kwargs else Action.ADD

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.editable_object()
        return self.render_form(self.build_form(record), record)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.editable_object()
        form = self.build_form(record, data=request.POST)
        if request.headers.get(VALIDATE_ONLY_HEADER):
            form.is_valid()
            return self.render_field_errors(form)
        if form.is_valid():
            try:
                saved = self.save(form, record)
            except ApplicationError as exc:
                field_errors_of(form, exc.as_field_errors())
            except ValidationError as exc:
                field_errors_of(form, validation_error_fields(exc))
            else:
                messages.success(
                    request,
                    _("%(type)s “%(name)s” was saved.")
                    % {"type": self.model._meta.verbose_name.capitalize(), "name": saved},
                )
                return redirect(self.success_url(saved))
        return self.render_form(form, record)

    def editable_object(self) -> Model | None:
        if "pk" not in self.kwargs:
            return None
        record = self.get_object()
        self.require(Action.CHANGE, record)
        return record

    def get_initial(self) -> dict[str, Any]:
        """Initial values of a new record (e.g. from the query string); the owner is the creator."""
        return {"owner": self.request.user.pk}

    def build_form(self, record: Model | None, data: Any = None) -> WorkspaceModelForm:
        # the form validates a copy: a ModelForm writes the input onto its instance, and the
        # update service must still see the stored values to know what changed
        instance = copy.copy(record) if record is not None else None
        initial = self.get_initial() if record is None else {}
        form = self.form_class(data, instance=instance, initial=initial, request=self.request)
        if not can_view_sensitive(self.membership.role):
            form.drop_fields(set(getattr(self.model, "audit_masks", {})))
        return form

    def save(self, form: WorkspaceModelForm, record: Model | None) -> Model:
        if record is None:
            return type(self).create_service(
                workspace=self.membership.workspace, actor=self.request.user, **form.cleaned_data
            )
        return type(self).update_service(
            **{self.model._meta.model_name: record},
            actor=self.request.user,
            data=form.cleaned_data,
        )

    def success_url(self, saved: Model) -> str:
        # a write may hand the record to someone the editor cannot see any more
        if self.get_queryset().filter(pk=saved.pk).exists():
            return saved.get_absolute_url()
        return reverse(self.url_name("list"))

    def render_form(self, form: WorkspaceModelForm, record: Model | None) -> HttpResponse:
        context = {**self.base_context(), "form": form, "object": record}
        return render(self.request, self.template_name, context)

    def render_field_errors(self, form: WorkspaceModelForm) -> HttpResponse:
        wanted = set(self.request.headers.get(VALIDATE_FIELD_HEADER, "").split(","))
        fields = [form[name] for name in form.fields if name in wanted] or list(form)
        return render(
            self.request, "core/partials/_field_errors_oob.html", {"fields": fields, "form": form}
        )


class ObjectDeleteView(WorkspaceViewMixin, View):
    """GET asks for confirmation; POST deletes through the app's service."""

    permission_action = Action.DELETE
    delete_service: ClassVar[Callable[..., None]]
    template_name: ClassVar[str] = "core/object_delete.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deletable_object()
        context = {**self.base_context(), "object": record, **self.confirm_context(record)}
        return render(request, self.template_name, context)

    def confirm_context(self, record: Model) -> dict[str, Any]:
        """What the confirmation page should warn about (e.g. records that lose a link)."""
        return {}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.deletable_object()
        name = str(record)
        try:
            type(self).delete_service(**{self.model._meta.model_name: record}, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(record.get_absolute_url())
        messages.success(
            request,
            _("%(type)s “%(name)s” was deleted.")
            % {"type": self.model._meta.verbose_name.capitalize(), "name": name},
        )
        return redirect(self.url_name("list"))

    def deletable_object(self) -> Model:
        record = self.get_object()
        self.require(Action.DELETE, record)
        return record


class BulkActionView(WorkspaceViewMixin, View):
    """Assign an owner, add tags or delete (after a confirmation page) for the selected records.

    Only records in the role's write scope are touched; the others are counted as skipped.
    """

    http_method_names = ["post"]
    template_name: ClassVar[str] = "core/bulk_delete_confirm.html"

    def required_action(self) -> str:
        action = self.request.POST.get("action", "")
        return BULK_ACTIONS[action][1] if action in BULK_ACTIONS else Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BulkActionForm(request.POST, request=request)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.back_url())
        data = form.cleaned_data
        records = list(self.get_queryset(self.required_action()).filter(pk__in=data["pk"]))
        skipped = len(data["pk"]) - len(records)
        if data["action"] == "delete" and not data["confirm"]:
            context = {
                **self.base_context(),
                "records": records,
                "skipped": skipped,
                "next": self.back_url(),
            }
            return render(request, self.template_name, context)
        count = self.apply(data, records)
        messages.success(
            request,
            _("%(action)s: %(count)s of the selected %(type)s changed.")
            % {
                "action": BULK_ACTIONS[data["action"]][0],
                "count": count,
                "type": self.model._meta.verbose_name_plural,
            },
        )
        if skipped:
            messages.warning(
                request,
                _(
                    "%(count)s selected records were skipped: they no longer exist or your role may not change them."
                )
                % {"count": skipped},
            )
        return redirect(self.back_url())

    def apply(self, data: dict[str, Any], records: list[Model]) -> int:
        action = data["action"]
        if action == "assign_owner":
            return records_bulk_assign_owner(records=records, owner=data["owner"])
        if action == "add_tag":
            tags = tags_by_name(workspace=self.membership.workspace, names=data["tags"])
            return records_bulk_tag(records=records, tags=tags)
        if action == "remove_tag":
            # only existing tags: removing a name nobody uses must not create it
            tags = Tag.objects.filter(workspace=self.membership.workspace, name__in=data["tags"])
            return records_bulk_tag(records=records, tags=list(tags), remove=True)
        return records_bulk_delete(records=records)

    def back_url(self) -> str:
        """The list page the selection came from (with its filters), if it is ours."""
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse(self.url_name("list"))


class ObjectAutocompleteView(WorkspaceViewMixin, View):
    """<option>s for a <datalist>: visible records whose name matches what was typed."""

    filterset_class: ClassVar[type[FilterSet]]
    search_param: ClassVar[str] = "search"
    label_field: ClassVar[str] = "name"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # htmx sends the typed text under the input's own name, whatever the form calls it
        term = next((value for value in request.GET.values() if value), "")[:MAX_SEARCH_LENGTH]
        records = []
        if term.strip():
            filterset = self.filterset_class(
                {self.search_param: term},
                queryset=self.get_queryset().prefetch_related(None),
                request=request,
            )
            records = filterset.qs.order_by(self.label_field).values_list(
                self.label_field, flat=True
            )[:AUTOCOMPLETE_LIMIT]
        return render(request, "core/partials/_options.html", {"labels": records})
