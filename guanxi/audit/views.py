"""The workspace's audit log for administrators: filtered, paginated, newest first."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from guanxi.audit.filtersets import AuditEventFilterSet
from guanxi.audit.presentation import audited_object_types, event_rows
from guanxi.audit.selectors import audit_event_list
from guanxi.core.forms import apply_widget_classes
from guanxi.core.paging import page_number, paginate
from guanxi.core.permissions import Action
from guanxi.workspaces.decorators import role_required


def audit_filterset(request: HttpRequest) -> AuditEventFilterSet:
    filterset = AuditEventFilterSet(
        request.GET or None,
        queryset=audit_event_list(membership=request.membership),
        request=request,
    )
    form = filterset.form
    form.fields["object_type"].widget = forms.Select(
        choices=[("", _("Any type")), *audited_object_types()]
    )
    form.fields["object_type"].label = _("Object type")
    form.fields["object_id"].widget = forms.HiddenInput()
    apply_widget_classes(form)
    return filterset


@role_required("audit", Action.VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    filterset = audit_filterset(request)
    page = paginate(filterset.qs, page_number(request.GET.get("page")))
    return render(
        request,
        "audit/list.html",
        {
            "filter_form": filterset.form,
            "page": page,
            "rows": event_rows(page.object_list, link_objects=True),
        },
    )
