"""Data-quality pages: duplicate candidates, compare and merge, a record's look-alikes, the
duplicate hint while typing, and the settings."""

from __future__ import annotations

import copy
import uuid
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import View

from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.fields import blind_index_of
from guanxi.core.paging import page_number, paginate
from guanxi.core.permissions import Action, role_can
from guanxi.core.pii import email_index_form, mobile_index_form, normalise_email, normalise_mobile
from guanxi.core.views import WorkspaceViewMixin, mask_sensitive
from guanxi.quality.choices import RecordType
from guanxi.quality.detection import Match, matches_for, profiles_of
from guanxi.quality.forms import QualitySettingsForm
from guanxi.quality.matching import CompanyProfile, ContactProfile
from guanxi.quality.models import DuplicateCandidate
from guanxi.quality.presentation import SLUG_OF, TYPE_OF_SLUG, reason_labels
from guanxi.quality.selectors import RESOURCE_OF, candidate_list, records_of
from guanxi.quality.services import (
    CUSTOM_FIELD_PREFIX,
    candidate_dismiss,
    default_sources,
    mergeable_fields,
    quality_settings_update,
    records_merge,
)
from guanxi.quality.tasks import duplicate_scan_task
from guanxi.quality.workspace_settings import quality_settings_for

MAX_MERGE_RECORDS = 5
HINT_LIMIT = 3
MAX_TEXT = 200


def _uuids(values: list[str]) -> list[uuid.UUID]:
    """The valid ids among `values`, in order, without repeats (hostile input is dropped)."""
    ids: list[uuid.UUID] = []
    for value in values:
        try:
            parsed = uuid.UUID(str(value))
        except ValueError:
            continue
        if parsed not in ids:
            ids.append(parsed)
    return ids


class QualityView(WorkspaceViewMixin, View):
    """Base of the quality pages: the `quality` permission resource."""

    resource = "quality"

    @staticmethod
    def selector(*, membership: Any, action: str = Action.VIEW) -> QuerySet:
        return DuplicateCandidate.objects.filter(workspace=membership.workspace)


class DuplicateListView(QualityView):
    """Candidate pairs of one record type, best score first, with compare and dismiss."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slug = request.GET.get("type", "contacts")
        record_type = TYPE_OF_SLUG.get(slug, RecordType.CONTACT)
        page = paginate(
            candidate_list(membership=self.membership, record_type=record_type),
            page_number(request.GET.get("page")),
        )
        ids = {c.a_id for c in page.object_list} | {c.b_id for c in page.object_list}
        records = {
            r.pk: r
            for r in records_of(membership=self.membership, record_type=record_type)
            .filter(pk__in=ids)
            .select_related(None)
            .prefetch_related(None)
        }
        rows = [
            {
                "candidate": c,
                "a": records.get(c.a_id),
                "b": records.get(c.b_id),
                "reasons": reason_labels(c.reasons),
                "merge_url": f"{reverse(f'quality:{SLUG_OF[record_type]}_merge')}?ids={c.a_id}&ids={c.b_id}",
            }
            for c in page.object_list
        ]
        context = {
            "page": page,
            "rows": rows,
            "slug": SLUG_OF[record_type],
            "record_type": record_type,
            "tabs": [("contacts", _("Contacts")), ("companies", _("Companies"))],
            "can_review": self.can(Action.CHANGE),
            "threshold": quality_settings_for(self.membership.workspace_id).duplicate_threshold,
        }
        return render(request, "quality/duplicate_list.html", context)


class DuplicateScanView(QualityView):
    """Start a workspace-wide scan (a background job)."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slug = request.POST.get("type", "contacts")
        record_type = TYPE_OF_SLUG.get(slug, RecordType.CONTACT)
        workspace_id = str(self.membership.workspace_id)
        transaction.on_commit(lambda: duplicate_scan_task(workspace_id, str(record_type)))
        messages.success(
            request,
            _("The duplicate scan has started; reload this page in a moment to see the results."),
        )
        return redirect(f"{reverse('quality:duplicates')}?type={SLUG_OF[record_type]}")


class CandidateDismissView(QualityView):
    """ "Not a duplicate": the pair will not be suggested again."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        candidate = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        visible = candidate_list(
            membership=self.membership,
            record_type=candidate.record_type,
            status=candidate.status,
        ).filter(pk=candidate.pk)
        if not visible.exists():
            raise Http404
        candidate_dismiss(candidate=candidate, actor=request.user)
        messages.success(request, _("The pair was marked as not a duplicate."))
        return redirect(f"{reverse('quality:duplicates')}?type={SLUG_OF[candidate.record_type]}")


class RecordTypeMixin:
    """Views that exist once per record type (contacts, companies)."""

    record_type: ClassVar[str]

    @property
    def record_resource(self) -> str:
        return RESOURCE_OF[self.record_type]

    def records(self, action: str = Action.VIEW) -> QuerySet:
        return records_of(membership=self.membership, record_type=self.record_type, action=action)


class MergeView(RecordTypeMixin, QualityView):
    """Compare two or more records side by side, pick each field's value, merge."""

    permission_action = Action.CHANGE

    def required_action(self) -> str:
        if not role_can(self.membership.role, self.record_resource, Action.DELETE):
            raise PermissionDenied
        return Action.CHANGE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        records = self.merge_records(request.GET.getlist("ids"))
        return self.render_compare(records, choices=default_sources(records), survivor=records[0])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        records = self.merge_records(request.POST.getlist("ids"))
        by_id = {str(r.pk): r for r in records}
        survivor = by_id.get(request.POST.get("survivor", ""), records[0])
        ordered = [survivor, *(r for r in records if r is not survivor)]
        wanted = [f.name for f in mergeable_fields(type(survivor))]
        wanted += [CUSTOM_FIELD_PREFIX + key for key in self.custom_keys(records)]
        choices = {name: request.POST[name] for name in wanted if request.POST.get(name)}
        errors: list[str] = []
        if not request.POST.get("confirm"):
            errors.append(_("Tick the confirmation: the other records will be deleted."))
        else:
            try:
                merged = records_merge(
                    workspace=self.membership.workspace,
                    survivor=survivor,
                    duplicates=ordered[1:],
                    field_choices=choices,
                    actor=request.user,
                )
            except ApplicationError as exc:
                errors.append(exc.message)
            except ValidationError as exc:
                errors += [m for ms in validation_error_fields(exc).values() for m in ms]
            else:
                count = len(ordered) - 1
                messages.success(
                    request,
                    ngettext(
                        "%(count)s record was merged into “%(name)s”.",
                        "%(count)s records were merged into “%(name)s”.",
                        count,
                    )
                    % {"count": count, "name": merged},
                )
                return redirect(merged.get_absolute_url())
        records = self.merge_records(request.POST.getlist("ids"))
        survivor = next((r for r in records if r.pk == survivor.pk), records[0])
        defaults = default_sources([survivor, *(r for r in records if r is not survivor)])
        return self.render_compare(
            records, choices={**defaults, **choices}, survivor=survivor, errors=errors, status=400
        )

    def merge_records(self, raw_ids: list[str]) -> list[Model]:
        """The records named in the request that the member may delete; 404 unless all are."""
        ids = _uuids(raw_ids)[:MAX_MERGE_RECORDS]
        if len(ids) < 2:
            raise Http404
        found = {r.pk: r for r in self.records(Action.DELETE).filter(pk__in=ids)}
        if len(found) != len(ids):
            raise Http404
        return [found[pk] for pk in ids]

    @staticmethod
    def custom_keys(records: list[Model]) -> list[str]:
        return sorted({key for r in records for key in (r.custom_fields or {})})

    def render_compare(
        self,
        records: list[Model],
        *,
        choices: dict[str, Any],
        survivor: Model,
        errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        shown = [copy.copy(r) for r in records]
        mask_sensitive(shown, self.membership.role)
        rows = []
        for field in mergeable_fields(type(records[0])):
            values = [self.display(r, field.name) for r in shown]
            rows.append(self.row(field.name, field.verbose_name, values, records, choices))
        for key in self.custom_keys(records):
            values = [str((r.custom_fields or {}).get(key, "") or "") for r in records]
            rows.append(self.row(CUSTOM_FIELD_PREFIX + key, key, values, records, choices))
        # the fields to decide on first; the name leads
        rows.sort(key=lambda row: (row["name"] != "name", not row["differs"]))
        tags = [", ".join(sorted(t.name for t in r.tags.all())) for r in records]
        context = {
            "records": shown,
            "rows": rows,
            "tags": tags,
            "survivor": survivor,
            "errors": errors or [],
            "verbose_name_plural": records[0]._meta.verbose_name_plural,
            "list_url": reverse(f"{self.record_resource}:list"),
            "action_url": reverse(f"quality:{SLUG_OF[self.record_type]}_merge"),
        }
        return render(self.request, "quality/merge.html", context, status=status)

    @staticmethod
    def row(name: str, label: Any, values: list[str], records: list[Model], choices: dict) -> dict:
        return {
            "name": name,
            "label": str(label).capitalize(),
            "differs": len(set(values)) > 1,
            "cells": [
                {"value": value, "id": r.pk, "checked": str(choices.get(name)) == str(r.pk)}
                for value, r in zip(values, records, strict=True)
            ],
        }

    @staticmethod
    def display(record: Model, name: str) -> str:
        field = record._meta.get_field(name)
        if field.choices:
            return str(getattr(record, f"get_{name}_display")())
        value = getattr(record, name)
        return "" if value in (None, "") else str(value)


class ContactMergeView(MergeView):
    record_type = RecordType.CONTACT


class CompanyMergeView(MergeView):
    record_type = RecordType.COMPANY


class FindDuplicatesView(RecordTypeMixin, QualityView):
    """The records that look like this one, with a link to compare and merge."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = get_object_or_404(self.records(), pk=self.kwargs["pk"])
        profile = profiles_of(self.record_type, self.records().filter(pk=record.pk))[0]
        settings = quality_settings_for(self.membership.workspace_id)
        matches = matches_for(
            queryset=self.records(),
            record_type=self.record_type,
            draft=profile,
            threshold=settings.duplicate_threshold,
            limit=20,
        )
        merge_url = reverse(f"quality:{SLUG_OF[self.record_type]}_merge")
        can_merge = self.can(Action.CHANGE) and role_can(
            self.membership.role, self.record_resource, Action.DELETE
        )
        context = {
            "object": record,
            "rows": [
                {
                    "match": m,
                    "reasons": reason_labels(m.reasons),
                    "merge_url": f"{merge_url}?ids={record.pk}&ids={m.record.pk}",
                }
                for m in matches
            ],
            "can_merge": can_merge,
            "threshold": settings.duplicate_threshold,
            "verbose_name_plural": record._meta.verbose_name_plural,
            "list_url": reverse(f"{self.record_resource}:list"),
        }
        return render(request, "quality/find_duplicates.html", context)


class ContactDuplicatesView(FindDuplicatesView):
    record_type = RecordType.CONTACT


class CompanyDuplicatesView(FindDuplicatesView):
    record_type = RecordType.COMPANY


class DuplicateHintView(RecordTypeMixin, WorkspaceViewMixin, View):
    """htmx, while a create/edit form is typed: "Possible duplicate: <link> (score)".

    Needs only view rights on the record type, like the form it sits in; nothing is saved.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        draft = self.draft(request.GET)
        matches: list[Match] = []
        if draft.name or getattr(draft, "mobile_index", "") or getattr(draft, "email_index", ""):
            matches = matches_for(
                queryset=self.records(),
                record_type=self.record_type,
                draft=draft,
                threshold=quality_settings_for(self.membership.workspace_id).duplicate_threshold,
                limit=HINT_LIMIT,
            )
        return render(request, "quality/partials/_duplicate_hint.html", {"matches": matches})

    def draft(self, data: Any) -> ContactProfile | CompanyProfile:
        exclude = next(iter(_uuids([data.get("record", "")])), None)
        name = data.get("name", "").strip()[:MAX_TEXT]
        if self.record_type == RecordType.COMPANY:
            aliases = data.get("aliases", "")[:2000]
            return CompanyProfile(
                id=exclude,
                name=name,
                aliases=[
                    a.strip()
                    for a in aliases.replace("，", ",").replace("\n", ",").split(",")
                    if a.strip()
                ][:20],
                phone=data.get("phone", "")[:MAX_TEXT],
                website=data.get("website", "")[:MAX_TEXT],
            )
        return ContactProfile(
            id=exclude,
            name=name,
            mobile_index=self.index_of(data.get("mobile", ""), normalise_mobile, mobile_index_form),
            email_index=self.index_of(data.get("email", ""), normalise_email, email_index_form),
            company_name=data.get("company", "").strip()[:MAX_TEXT],
        )

    @staticmethod
    def index_of(raw: str, normalise: Any, index_form: Any) -> str:
        try:
            return blind_index_of(normalise(raw[:MAX_TEXT]), index_form) if raw.strip() else ""
        except ValidationError:
            return ""


class ContactHintView(DuplicateHintView):
    record_type = RecordType.CONTACT
    resource = "contacts"

    @staticmethod
    def selector(*, membership: Any, action: str = Action.VIEW) -> QuerySet:
        return records_of(membership=membership, record_type=RecordType.CONTACT, action=action)


class CompanyHintView(DuplicateHintView):
    record_type = RecordType.COMPANY
    resource = "companies"

    @staticmethod
    def selector(*, membership: Any, action: str = Action.VIEW) -> QuerySet:
        return records_of(membership=membership, record_type=RecordType.COMPANY, action=action)


class QualitySettingsView(WorkspaceViewMixin, View):
    """Thresholds and completeness weights of the workspace (administrators)."""

    resource = "quality_settings"
    permission_action = Action.CHANGE
    selector = QualityView.selector

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = quality_settings_for(self.membership.workspace_id)
        return self.render_form(QualitySettingsForm(settings=settings))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = quality_settings_for(self.membership.workspace_id)
        form = QualitySettingsForm(request.POST, settings=settings)
        if form.is_valid():
            quality_settings_update(
                workspace=self.membership.workspace, actor=request.user, data=form.settings_data()
            )
            messages.success(
                request,
                _("Data quality settings were saved. Completeness scores are being recalculated."),
            )
            return redirect("quality:settings")
        return self.render_form(form, status=400)

    def render_form(self, form: QualitySettingsForm, status: int = 200) -> HttpResponse:
        return render(self.request, "quality/settings.html", {"form": form}, status=status)
