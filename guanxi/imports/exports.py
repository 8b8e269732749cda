"""Exports a filtered list as CSV or XLSX: the list's own FilterSet and selector (so visibility
applies), personal fields masked for roles without view_sensitive, and cells that a spreadsheet
would run as formulas neutralised (OWASP CSV injection). Columns carry the import field labels,
so an exported file imports back as it is."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from guanxi.core.permissions import Action
from guanxi.core.views import mask_sensitive
from guanxi.imports.choices import ExportFormat, ExportStatus
from guanxi.imports.models import ExportJob
from guanxi.imports.parsing import FORMULA_STARTS
from guanxi.imports.targets import (
    CUSTOM_PREFIX,
    ImportField,
    Target,
    custom_definitions,
    fields_for,
    target_for,
)

# lists up to this size stream at once; larger ones are built by a job
STREAM_LIMIT = 2000
CHUNK = 500
# query parameters of the list page that are not filters
NOT_FILTERS = ("format", "page", "sort")


@dataclass(frozen=True)
class ExportSpec:
    target: str
    selector_path: str
    filterset_path: str
    # the contact behind each row, whose personal fields are masked too ("" for the row itself)
    contact_path: str = ""

    @property
    def import_target(self) -> Target:
        return target_for(self.target)

    def selector(self) -> Callable[..., QuerySet]:
        return import_string(self.selector_path)

    def filterset_class(self) -> type:
        return import_string(self.filterset_path)


EXPORTS: dict[str, ExportSpec] = {
    "companies": ExportSpec(
        "companies",
        "guanxi.companies.selectors.company_list",
        "guanxi.companies.filtersets.CompanyFilterSet",
    ),
    "contacts": ExportSpec(
        "contacts",
        "guanxi.contacts.selectors.contact_list",
        "guanxi.contacts.filtersets.ContactFilterSet",
    ),
    "members": ExportSpec(
        "members",
        "guanxi.members.selectors.member_list",
        "guanxi.members.filtersets.MemberFilterSet",
        contact_path="contact",
    ),
    "transactions": ExportSpec(
        "transactions",
        "guanxi.members.selectors.transaction_list",
        "guanxi.members.filtersets.TransactionFilterSet",
        contact_path="member.contact",
    ),
}

# import fields that are not a column of the record itself
NOT_EXPORTED = {"given_name", "family_name", "company_external_id"}


def neutralise(value: str) -> str:
    """A leading ' stops spreadsheets from reading the cell as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_fields(target: Target, workspace: Any) -> list[ImportField]:
    """The target's columns and the workspace's custom fields, as the importer names them."""
    return [f for f in fields_for(target, workspace) if f.key not in NOT_EXPORTED]


def header_row(target: Target, workspace: Any) -> list[str]:
    return [capfirst(str(f.label)) for f in export_fields(target, workspace)]


def template_header(target: Target, workspace: Any) -> list[str]:
    """An import template's columns: the field labels, required ones marked with *."""
    return [
        capfirst(f"{f.label} *" if f.required else str(f.label))
        for f in export_fields(target, workspace)
    ]


def cell_value(record: Model, item: ImportField, definitions: dict[str, Any]) -> str:
    if item.kind == "custom":
        from guanxi.customfields.values import format_custom_value

        key = item.key.removeprefix(CUSTOM_PREFIX)
        return format_custom_value(definitions[key], (record.custom_fields or {}).get(key))
    if item.source:
        value = attribute_path(record, item.source)
        return "" if value is None else str(value)
    if item.kind == "choice":
        value = getattr(record, item.key)
        return str(getattr(record, f"get_{item.key}_display")()) if value else ""
    if item.kind == "tags":
        return ", ".join(tag.name for tag in record.tags.all())
    value = getattr(record, item.key, None)
    if item.kind in ("relation", "member"):
        return str(value) if value is not None else ""
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def attribute_path(record: Any, path: str) -> Any:
    for name in path.split("."):
        record = getattr(record, name, None)
        if record is None:
            return None
    return record


def record_row(record: Model, fields: list[ImportField], definitions: dict[str, Any]) -> list[str]:
    return [cell_value(record, f, definitions) for f in fields]


def export_queryset(spec: ExportSpec, membership: Any, query: str) -> QuerySet:
    """The list page's rows for these filters, as this member may export them."""
    data = QueryDict(query, mutable=True)
    for name in NOT_FILTERS:
        data.pop(name, None)
    request = SimpleNamespace(
        workspace=membership.workspace, user=membership.user, membership=membership
    )
    queryset = (
        spec.selector()(membership=membership, action=Action.EXPORT)
        .filter(workspace=membership.workspace)
        .order_by("-id")
    )
    filterset = spec.filterset_class()(data or None, queryset=queryset, request=request)
    return filterset.qs


def rows_of(
    spec: ExportSpec,
    queryset: QuerySet,
    membership: Any,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[str]]:
    target = spec.import_target
    fields = export_fields(target, membership.workspace)
    definitions = {d.key: d for d in custom_definitions(target, membership.workspace)}
    role = membership.role
    done = 0
    chunk: list[Model] = []
    for record in queryset.iterator(chunk_size=CHUNK):
        chunk.append(record)
        if len(chunk) == CHUNK:
            yield from chunk_rows(chunk, fields, definitions, role, spec.contact_path)
            done += len(chunk)
            chunk = []
            if progress:
                progress(done)
    yield from chunk_rows(chunk, fields, definitions, role, spec.contact_path)


def chunk_rows(
    records: list[Model],
    fields: list[ImportField],
    definitions: dict[str, Any],
    role: str,
    contact_path: str = "",
) -> Iterator[list[str]]:
    mask_sensitive(records, role)
    if contact_path:
        contacts = [attribute_path(record, contact_path) for record in records]
        mask_sensitive([c for c in contacts if c is not None], role)
    for record in records:
        yield record_row(record, fields, definitions)


class Echo:
    """csv.writer's file: hands each written line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(Echo())
    # a BOM so that Excel opens the UTF-8 file with the Chinese intact
    yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def xlsx_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()

    def cells(values: list[str]) -> list[Any]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(target: str, file_format: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{target}-{stamp}.{file_format}"


# --- large exports: a job ----------------------------------------------------------------------
def export_job_create(*, membership: Any, target: str, file_format: str, query: str) -> ExportJob:
    from django.db import transaction

    from guanxi.imports.tasks import export_job_task

    job = ExportJob.objects.create(
        workspace=membership.workspace,
        target=target,
        file_format=file_format,
        query=query[:4000],
        language=translation.get_language() or "",
        created_by=membership.user,
    )
    transaction.on_commit(lambda: export_job_task(str(job.pk)))
    return job


def export_job_run(*, job: ExportJob) -> ExportJob:
    from guanxi.workspaces.models import Membership

    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace=job.workspace, user=job.created_by, is_active=True)
        .first()
    )
    spec = EXPORTS[job.target]
    if membership is None or not role_allows_export(membership.role, spec):
        return finish_export(job, ExportStatus.FAILED, _("Your role may not export these records."))
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])
    queryset = export_queryset(spec, membership, job.query)
    total = max(queryset.count(), 1)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=min(99, done * 100 // total))

    # headers and labels in the language the member used when asking for the export
    with translation.override(job.language or settings.LANGUAGE_CODE):
        header = header_row(spec.import_target, membership.workspace)
        rows = list(rows_of(spec, queryset, membership, progress))
    job.row_count = len(rows)
    job.stored_path = f"{job.workspace_id}/export-{job.pk}.{job.file_format}"
    job.file_path.parent.mkdir(parents=True, exist_ok=True)
    if job.file_format == ExportFormat.XLSX:
        job.file_path.write_bytes(xlsx_bytes(header, rows))
    else:
        job.file_path.write_text("".join(csv_lines(header, rows)), encoding="utf-8")
    return finish_export(job, ExportStatus.DONE, "")


def finish_export(job: ExportJob, status: str, failure: str) -> ExportJob:
    job.status, job.failure, job.progress = status, failure, 100
    job.finished_at = timezone.now()
    job.save()
    return job


def role_allows_export(role: str, spec: ExportSpec) -> bool:
    from guanxi.core.permissions import role_can

    return role_can(role, spec.import_target.resource, Action.EXPORT)
