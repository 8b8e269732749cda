"""Import jobs (upload → mapping → validation → import), saved mappings, per-workspace limits
and export jobs for lists too large to stream."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import WorkspaceModel
from guanxi.imports.choices import (
    ExportFormat,
    ExportStatus,
    FileFormat,
    ImportMode,
    ImportStatus,
    ImportTarget,
)

# the hard ceiling a workspace may raise its row limit to
MAX_ROW_LIMIT = 50_000


def default_row_limit() -> int:
    return getattr(settings, "GUANXI_IMPORT_ROW_LIMIT", 5000)


def storage_root() -> Path:
    """Uploaded and exported files live under VAR_DIR, outside the web root."""
    from guanxi.environment import VAR_DIR

    return Path(getattr(settings, "GUANXI_IMPORT_DIR", VAR_DIR / "imports"))


class ImportSettings(WorkspaceModel):
    """A workspace's own import limits (defaults from GUANXI_IMPORT_ROW_LIMIT)."""

    row_limit = models.PositiveIntegerField(
        _("rows per import"),
        default=default_row_limit,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROW_LIMIT)],
    )

    class Meta:
        verbose_name = _("import settings")
        verbose_name_plural = _("import settings")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="import_settings_one_per_ws")
        ]


class ImportJob(WorkspaceModel):
    target = models.CharField(_("import into"), max_length=20, choices=ImportTarget.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    # relative to storage_root(): <workspace id>/<job id>
    stored_path = models.CharField(max_length=300, editable=False)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    file_format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    mode = models.CharField(
        _("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.CREATE
    )
    # the field an upsert matches existing records on (mobile, email, external_id, name …)
    match_on = models.CharField(_("match existing records on"), max_length=30, blank=True)
    all_or_nothing = models.BooleanField(
        _("all or nothing"),
        default=True,
        help_text=_("Import nothing if any row is invalid."),
    )
    # column index (as a string) → field key; unmapped columns are absent
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    valid_count = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_count = models.PositiveIntegerField(_("invalid rows"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    updated_count = models.PositiveIntegerField(_("records updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows skipped"), default=0)
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    # [{"row": 3, "column": "手机", "value": "123", "reason": "…"}], row numbers as in the file
    errors = models.JSONField(_("error report"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    created_by = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["workspace", "-id"], name="import_job_ws_id_idx"),
            models.Index(fields=["workspace", "created_by", "-id"], name="import_job_ws_user_idx"),
            models.Index(fields=["status", "updated_at"], name="import_job_status_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def file_path(self) -> Path:
        return storage_root() / self.stored_path

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ImportTemplate(WorkspaceModel):
    """A saved mapping: column header → field key, applied to files with the same headers."""

    target = models.CharField(_("import into"), max_length=20, choices=ImportTarget.choices)
    name = models.CharField(_("name"), max_length=100)
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("import template")
        verbose_name_plural = _("import templates")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "target", "name"], name="import_template_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ExportJob(WorkspaceModel):
    """An export too large to stream: built by a job, downloaded from its page."""

    target = models.CharField(_("export from"), max_length=20, choices=ImportTarget.choices)
    file_format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    # the list page's query string: the same filters apply when the job runs
    query = models.TextField(blank=True)
    # column headers and choice labels are written in the language the export was asked in
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    stored_path = models.CharField(max_length=300, blank=True, editable=False)
    failure = models.TextField(_("failure"), blank=True)
    created_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["workspace", "created_by", "-id"], name="export_job_ws_user_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} ({self.get_file_format_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:export_detail", args=[self.pk])

    @property
    def file_path(self) -> Path:
        return storage_root() / self.stored_path
