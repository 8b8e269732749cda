"""The import wizard (upload → mapping → preview → import with live progress → report),
downloadable templates, and list exports (streamed, or built by a job when large)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.paging import page_number, paginate
from guanxi.core.permissions import Action
from guanxi.core.views import WorkspaceViewMixin
from guanxi.imports import exports, services
from guanxi.imports.choices import ExportFormat, ExportStatus, ImportStatus
from guanxi.imports.forms import MappingForm, TemplateNameForm, UploadForm
from guanxi.imports.importers import PREVIEW_ROWS
from guanxi.imports.models import ImportJob
from guanxi.imports.owner_tags import tags_to_create
from guanxi.imports.selectors import export_job_list, import_job_list, import_template_list
from guanxi.imports.targets import available_targets, target_for

ERRORS_SHOWN = 200
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportViews(WorkspaceViewMixin):
    resource = "imports"
    selector = import_job_list


class ImportListView(ImportViews, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page = paginate(self.get_queryset(), page_number(request.GET.get("page")))
        exports_recent = export_job_list(membership=self.membership)[:10]
        return render(
            request,
            "imports/import_list.html",
            {
                **self.base_context(),
                "page": page,
                "object_list": page.object_list,
                "exports": exports_recent,
                "can_import": self.can(Action.ADD),
            },
        )


class ImportCreateView(ImportViews, View):
    permission_action = Action.ADD

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = UploadForm(
            initial={"target": request.GET.get("target", "contacts")}, membership=self.membership
        )
        return self.render_form(form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, membership=self.membership)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    membership=self.membership,
                    target=form.cleaned_data["target"],
                    upload=form.cleaned_data["file"],
                )
            except ApplicationError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
            except ValidationError as exc:
                for messages_ in validation_error_fields(exc).values():
                    for message in messages_:
                        form.add_error(None, message)
            else:
                return redirect(job.get_absolute_url())
        return self.render_form(form, status=400)

    def render_form(self, form: UploadForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "imports/import_upload.html",
            {**self.base_context(), "form": form, "templates": template_links()},
            status=status,
        )


def template_links() -> list[dict[str, Any]]:
    return [
        {
            "label": target.label,
            "csv": reverse(f"imports:template_{target.key}_csv"),
            "xlsx": reverse(f"imports:template_{target.key}_xlsx"),
        }
        for target in available_targets()
    ]


class ImportDetailView(ImportViews, View):
    """The wizard's page for one job: mapping and preview, progress, or the summary."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.get_object()
        return self.render_job(job, MappingForm(job=job))

    def render_job(self, job: ImportJob, form: MappingForm, status: int = 200) -> HttpResponse:
        context = {
            **self.base_context(),
            "object": job,
            "form": form,
            "target": target_for(job.target),
            "errors_shown": job.errors[:ERRORS_SHOWN],
            "templates": import_template_list(membership=self.membership, target=job.target),
            "template_form": TemplateNameForm(),
            "can_run": self.can(Action.ADD, job),
            "preview": preview_rows(job) if job.status == ImportStatus.VALIDATED else [],
        }
        return render(self.request, "imports/import_detail.html", context, status=status)


def preview_rows(job: ImportJob) -> list[dict[str, Any]]:
    """The first rows as mapped, each with its validation result from the job's report and
    the tags the import would create for it."""
    try:
        table = services.job_table(job)
    except ApplicationError:
        return []
    reasons: dict[int, list[str]] = {}
    for error in job.errors:
        reasons.setdefault(error["row"], []).append(
            f"{error['column']}: {error['reason']}" if error["column"] else error["reason"]
        )
    columns = sorted((int(i), key) for i, key in job.mapping.items())
    rows = table.rows[:PREVIEW_ROWS]
    tags_column = next((i for i, key in columns if key == "tags"), None)
    new_tags = (
        tags_to_create(job.workspace, [cells[tags_column] for _line, cells in rows])
        if tags_column is not None
        else [[] for _row in rows]
    )
    return [
        {
            "line": line,
            "cells": [cells[i] for i, _key in columns],
            "errors": reasons.get(line, []),
            "new_tags": names,
        }
        for (line, cells), names in zip(rows, new_tags, strict=True)
    ]


class ImportJobActionView(ImportViews, View):
    """POST-only steps on a job the member may run."""

    permission_action = Action.ADD
    http_method_names = ["post"]

    def job(self) -> ImportJob:
        job = self.get_object()
        self.require(Action.ADD, job)
        if job.is_running:
            raise Http404
        return job


class ImportMapView(ImportJobActionView):
    """Save the mapping and options, then validate every row for the preview."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.job()
        form = MappingForm(request.POST, job=job)
        if not form.is_valid():
            return ImportDetailView.render_job(self, job, form, status=400)
        try:
            services.import_job_map(
                job=job,
                mapping=form.mapping(),
                mode=form.cleaned_data["mode"],
                match_on=form.cleaned_data["match_on"],
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
            services.require_import_rights(self.membership, job.target, job.mode)
            services.import_job_validate(job=job, membership=self.membership)
        except ValidationError as exc:
            for field, errors in validation_error_fields(exc).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return ImportDetailView.render_job(self, job, form, status=400)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return ImportDetailView.render_job(self, job, form, status=400)
        return redirect(job.get_absolute_url())


class ImportStartView(ImportJobActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.job()
        try:
            services.require_import_rights(self.membership, job.target, job.mode)
            services.import_job_start(job=job)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(job.get_absolute_url())


class ImportTemplateSaveView(ImportJobActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.job()
        form = TemplateNameForm(request.POST)
        if form.is_valid() and job.mapping:
            template = services.import_template_save(
                job=job, name=form.cleaned_data["name"], actor=request.user
            )
            messages.success(request, _("Template “%(name)s” was saved.") % {"name": template})
        else:
            messages.error(request, _("Map some columns and name the template first."))
        return redirect(job.get_absolute_url())


class ImportTemplateApplyView(ImportJobActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.job()
        templates = import_template_list(membership=self.membership, target=job.target)
        try:
            template = templates.filter(pk=request.POST.get("template", "")).first()
        except ValidationError:
            template = None
        if template is None:
            messages.error(request, _("Choose a template."))
        else:
            services.import_template_apply(job=job, template=template)
            messages.success(request, _("Template “%(name)s” was applied.") % {"name": template})
        return redirect(job.get_absolute_url())


class ImportProgressView(ImportViews, View):
    """The progress bar, polled every second while the job runs; reloads the page when done."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.get_object()
        response = render(request, "imports/partials/_progress.html", {"object": job})
        if not job.is_running and request.htmx:
            response["HX-Refresh"] = "true"
        return response


class ImportErrorsView(ImportViews, View):
    """The full error report as CSV (row, column, value, reason)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.get_object()
        header = [_("Row"), _("Column"), _("Value"), _("Reason")]
        rows = ([str(e["row"]), e["column"], e["value"], e["reason"]] for e in job.errors)
        response = StreamingHttpResponse(exports.csv_lines(header, rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="import-errors-{job.pk}.csv"'
        return response


class ImportDeleteView(ImportJobActionView):
    http_method_names = ["get", "post"]
    permission_action = Action.DELETE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.deletable()
        return render(request, "core/object_delete.html", {**self.base_context(), "object": job})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.deletable()
        services.import_job_delete(job=job)
        messages.success(request, _("The import “%(name)s” was deleted.") % {"name": job})
        return redirect("imports:list")

    def deletable(self) -> ImportJob:
        job = self.get_object()
        self.require(Action.DELETE, job)
        if job.is_running:
            raise Http404
        return job


class ImportTemplateFileView(ImportViews, View):
    """An empty file with the target's column headers in the page's language."""

    def get(
        self, request: HttpRequest, target: str, file_format: str, **kwargs: Any
    ) -> HttpResponse:
        try:
            spec = target_for(target)
        except KeyError as exc:
            raise Http404 from exc
        header = exports.template_header(spec, self.membership.workspace)
        if file_format == ExportFormat.XLSX:
            response = HttpResponse(exports.xlsx_bytes(header, []), content_type=XLSX_TYPE)
        else:
            response = HttpResponse("".join(exports.csv_lines(header, [])), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{target}-template.{file_format}"'
        return response


# --- exports -----------------------------------------------------------------------------------
class ExportView(WorkspaceViewMixin, View):
    """`?format=csv|xlsx` plus the list page's filters; large lists become an export job."""

    permission_action = Action.EXPORT
    target: ClassVar[str]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        spec = exports.EXPORTS[self.target]
        file_format = request.GET.get("format", ExportFormat.CSV)
        if file_format not in ExportFormat.values:
            file_format = ExportFormat.CSV
        query = request.GET.urlencode()
        queryset = exports.export_queryset(spec, self.membership, query)
        if queryset.count() > exports.STREAM_LIMIT:
            job = exports.export_job_create(
                membership=self.membership, target=self.target, file_format=file_format, query=query
            )
            messages.info(request, _("The list is large: the file is being prepared."))
            return redirect(job.get_absolute_url())
        header = exports.header_row(spec.import_target, self.membership.workspace)
        rows = exports.rows_of(spec, queryset, self.membership)
        name = exports.file_name(self.target, file_format)
        if file_format == ExportFormat.XLSX:
            response = HttpResponse(exports.xlsx_bytes(header, rows), content_type=XLSX_TYPE)
        else:
            response = StreamingHttpResponse(exports.csv_lines(header, rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def export_view_for(target: str) -> type[ExportView]:
    spec = exports.EXPORTS[target]
    return type(
        f"{target.title()}ExportView",
        (ExportView,),
        {
            "target": target,
            "resource": spec.import_target.resource,
            "selector": staticmethod(spec.selector()),
        },
    )


class ExportJobViews(WorkspaceViewMixin):
    resource = "imports"
    selector = export_job_list


class ExportDetailView(ExportJobViews, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.get_object()
        template = (
            "imports/partials/_export_progress.html"
            if request.htmx
            else "imports/export_detail.html"
        )
        response = render(request, template, {**self.base_context(), "object": job})
        if request.htmx and job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            response["HX-Refresh"] = "true"
        return response


class ExportDownloadView(ExportJobViews, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.get_object()
        if job.status != ExportStatus.DONE or not job.file_path.exists():
            raise Http404
        return FileResponse(
            job.file_path.open("rb"),
            as_attachment=True,
            filename=exports.file_name(job.target, job.file_format),
        )
