"""Data quality: per-workspace settings, duplicate candidates, merge history, matching keys."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import WorkspaceModel
from guanxi.quality.choices import CandidateStatus, RecordType

DEFAULT_DUPLICATE_THRESHOLD = 80
DEFAULT_COMPLETENESS_THRESHOLD = 80
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class QualitySettings(WorkspaceModel):
    """One row per workspace (created with defaults on first use)."""

    duplicate_threshold = models.PositiveSmallIntegerField(
        _("duplicate threshold"),
        default=DEFAULT_DUPLICATE_THRESHOLD,
        validators=PERCENT,
        help_text=_("Pairs scoring at least this much (0–100) are shown as possible duplicates."),
    )
    completeness_threshold = models.PositiveSmallIntegerField(
        _("completeness threshold"),
        default=DEFAULT_COMPLETENESS_THRESHOLD,
        validators=PERCENT,
        help_text=_("Records less complete than this (%) are blocked where a check applies."),
    )
    # {field name: weight}; empty means the defaults in quality.completeness
    contact_weights = models.JSONField(_("contact field weights"), default=dict, blank=True)
    company_weights = models.JSONField(_("company field weights"), default=dict, blank=True)

    audit_enabled = True

    class Meta:
        verbose_name = _("data quality settings")
        verbose_name_plural = _("data quality settings")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="quality_settings_one_per_ws")
        ]

    def __str__(self) -> str:
        return str(_("Data quality settings"))


class DuplicateCandidate(WorkspaceModel):
    """A pair of records that look like the same customer; `a_id` < `b_id` so a pair is stored once."""

    record_type = models.CharField(_("record type"), max_length=40, choices=RecordType.choices)
    a_id = models.UUIDField()
    b_id = models.UUIDField()
    score = models.PositiveSmallIntegerField(_("score"), validators=PERCENT)
    # reason codes (quality.scoring.REASONS) that explain the score
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )

    class Meta:
        ordering = ["-score", "-id"]
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "record_type", "a_id", "b_id"], name="quality_candidate_pair"
            )
        ]
        indexes = [
            models.Index(
                fields=["workspace", "record_type", "status", "-score", "-id"],
                name="quality_cand_list_idx",
            ),
            models.Index(fields=["workspace", "record_type", "b_id"], name="quality_cand_b_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.a_id} ~ {self.b_id} ({self.score})"


class MergedRecord(WorkspaceModel):
    """A record merged into another: old links redirect to the survivor; the snapshot keeps history."""

    record_type = models.CharField(_("record type"), max_length=40, choices=RecordType.choices)
    old_id = models.UUIDField()
    survivor_id = models.UUIDField()
    merged_by = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    at = models.DateTimeField(_("merged at"), default=timezone.now)
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("merged record")
        verbose_name_plural = _("merged records")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "record_type", "old_id"], name="quality_merged_old_id"
            )
        ]
        indexes = [
            models.Index(
                fields=["workspace", "record_type", "survivor_id"], name="quality_merged_surv_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_id} → {self.survivor_id}"


class MatchKey(models.Model):
    """A blocking key of a record (pinyin name, normalised company name…): the typing check
    looks candidates up by key instead of comparing with every record.

    A derived lookup table rebuilt by every scan, like an index: a plain integer key and no
    timestamps, so writing hundreds of thousands of rows stays cheap."""

    id = models.BigAutoField(primary_key=True)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+", editable=False
    )
    record_type = models.CharField(max_length=40, choices=RecordType.choices)
    record_id = models.UUIDField()
    key = models.CharField(max_length=120)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "record_type", "key"], name="quality_key_lookup_idx"),
            models.Index(
                fields=["workspace", "record_type", "record_id"], name="quality_key_rec_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.key
