"""Pipelines with ordered stages and their gates; opportunities (deals) moving through them."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import OwnedModel, WorkspaceModel
from guanxi.opportunities.choices import (
    ContactRole,
    Currency,
    OpportunitySource,
    OpportunityStatus,
    StageColour,
    StageKind,
)

PROBABILITY_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Pipeline(WorkspaceModel):
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default pipeline"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    audit_enabled = True

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="pipeline_unique_name"),
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(is_default=True), name="pipeline_one_default"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "order", "id"], name="pipeline_ws_order_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunities:board", args=[self.pk])


class Stage(WorkspaceModel):
    """A column of a pipeline; its gate says what must hold before a deal may enter it."""

    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.CASCADE, related_name="stages", verbose_name=_("pipeline")
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=0, validators=PROBABILITY_VALIDATORS
    )
    kind = models.CharField(
        _("type"), max_length=8, choices=StageKind.choices, default=StageKind.OPEN
    )
    colour = models.CharField(
        _("colour"), max_length=16, choices=StageColour.choices, default=StageColour.BLUE
    )
    # opportunity field names that must be filled before a deal may enter this stage
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    # items that must be ticked on the deal (Opportunity.checklist_done) before entering
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    allow_skip = models.BooleanField(
        _("allow skipping"),
        default=True,
        help_text=_("If off, a deal must pass through every open stage before this one."),
    )
    stagnation_days = models.PositiveSmallIntegerField(
        _("stagnation alert after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Empty: no alert."),
    )

    audit_enabled = True

    class Meta:
        ordering = ["pipeline", "order", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="stage_unique_name"),
        ]
        indexes = [
            models.Index(fields=["pipeline", "order", "id"], name="stage_pipeline_order_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.pipeline_id
            and self.workspace_id
            and self.pipeline.workspace_id != self.workspace_id
        ):
            raise ValidationError({"pipeline": _("Choose a pipeline of this workspace.")})
        from guanxi.opportunities.gates import GATEABLE_FIELDS

        unknown = [name for name in self.required_fields or [] if name not in GATEABLE_FIELDS]
        if not isinstance(self.required_fields, list) or unknown:
            raise ValidationError(
                {
                    "required_fields": _("Unknown field: %(names)s.")
                    % {"names": ", ".join(map(str, unknown))}
                }
            )
        if not isinstance(self.checklist, list) or not all(
            isinstance(item, str) and item.strip() and len(item) <= 200 for item in self.checklist
        ):
            raise ValidationError(
                {"checklist": _("Each checklist item must be a text of 1 to 200 characters.")}
            )
        if len(set(self.checklist)) != len(self.checklist):
            raise ValidationError({"checklist": _("Checklist items must be different.")})

    @property
    def is_open(self) -> bool:
        return self.kind == StageKind.OPEN


class Opportunity(OwnedModel):
    name = models.CharField(_("name"), max_length=200)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("company"),
    )
    primary_contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_opportunities",
        verbose_name=_("primary contact"),
    )
    contacts = models.ManyToManyField(
        "contacts.Contact",
        through="OpportunityContact",
        related_name="opportunities",
        blank=True,
        verbose_name=_("contacts"),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    expected_close = models.DateField(_("expected close date"), null=True, blank=True)
    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("pipeline")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("stage")
    )
    # the (not lost) stage of highest order the deal has entered: the funnel counts a deal as
    # having reached every stage up to it, from one index instead of the stage history
    furthest_stage = models.ForeignKey(
        Stage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("furthest stage reached"),
        db_index=False,  # read through opp_funnel_idx only
    )
    # the effective win probability: the stage's default unless probability_custom is set
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=0, validators=PROBABILITY_VALIDATORS
    )
    probability_custom = models.BooleanField(_("custom probability"), default=False)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.OPEN,
        editable=False,
    )
    lost_reason = models.TextField(_("lost reason"), blank=True, max_length=2000)
    source = models.CharField(
        _("source"), max_length=20, choices=OpportunitySource.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # the lead this deal was converted from (the lead keeps the link the other way)
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("lead"),
        db_index=False,  # a partial index in Meta: few deals come from a lead
    )
    # the stage gates' checklist items ticked on this deal
    checklist_done = models.JSONField(_("checklist done"), default=list, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    stage_entered_at = models.DateTimeField(
        _("in stage since"), default=timezone.now, editable=False
    )

    audit_enabled = True
    # derived from the stage moves, which are audited themselves
    audit_exclude = ("furthest_stage",)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["workspace", "-id"], name="opp_ws_id_idx"),
            models.Index(fields=["workspace", "owner", "-id"], name="opp_ws_owner_idx"),
            models.Index(fields=["workspace", "status", "-id"], name="opp_ws_status_idx"),
            models.Index(fields=["workspace", "pipeline", "-id"], name="opp_ws_pipeline_idx"),
            models.Index(fields=["workspace", "stage", "-id"], name="opp_ws_stage_idx"),
            models.Index(fields=["workspace", "company", "-id"], name="opp_ws_company_idx"),
            models.Index(fields=["workspace", "primary_contact", "-id"], name="opp_ws_contact_idx"),
            models.Index(fields=["workspace", "expected_close", "-id"], name="opp_ws_close_idx"),
            models.Index(fields=["workspace", "source", "-id"], name="opp_ws_source_idx"),
            # covers the board's per-column count / Σ amount / Σ weighted in one index scan
            models.Index(
                fields=["stage", "workspace", "amount", "probability", "owner"],
                name="opp_board_sum_idx",
            ),
            # a lead's deals; partial, as SQLite's statistics count all NULLs as one value
            models.Index(fields=["lead"], condition=Q(lead__isnull=False), name="opp_lead_idx"),
            # stagnation job: open deals by time in stage
            models.Index(fields=["status", "stage_entered_at"], name="opp_status_entered_idx"),
            # the sales reports (analytics/reports.py) each read one of these and never the table:
            # they hold every column a report filters, groups or sums on, in grouping order
            models.Index(
                fields=["workspace", "pipeline", "created_at", "furthest_stage", "owner", "source"],
                name="opp_funnel_idx",
            ),
            models.Index(
                fields=[
                    "workspace",
                    "status",
                    "stage",
                    "owner",
                    "amount",
                    "probability",
                    "pipeline",
                    "source",
                ],
                name="opp_value_idx",
            ),
            models.Index(
                fields=[
                    "workspace",
                    "status",
                    "expected_close",
                    "owner",
                    "amount",
                    "probability",
                    "pipeline",
                    "source",
                ],
                name="opp_forecast_open_idx",
            ),
            models.Index(
                fields=[
                    "workspace",
                    "status",
                    "closed_at",
                    "owner",
                    "amount",
                    "pipeline",
                    "source",
                ],
                name="opp_forecast_won_idx",
            ),
            models.Index(
                fields=[
                    "workspace",
                    "created_at",
                    "owner",
                    "status",
                    "closed_at",
                    "pipeline",
                    "source",
                ],
                name="opp_efficiency_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    @property
    def weighted_amount(self) -> Decimal:
        return (self.amount * self.probability / 100).quantize(Decimal("0.01"))

    @property
    def days_in_stage(self) -> int:
        return (timezone.now() - self.stage_entered_at).days

    @property
    def is_stagnant(self) -> bool:
        """Open and longer in its stage than the stage's stagnation setting allows."""
        days = self.stage.stagnation_days
        return bool(days) and self.status == "open" and self.days_in_stage >= days

    def clean(self) -> None:
        errors: dict[str, list] = {}
        ws = self.workspace_id
        for name in ("company", "primary_contact", "pipeline", "stage", "lead"):
            related_id = getattr(self, f"{name}_id")
            if ws and related_id and getattr(self, name).workspace_id != ws:
                errors[name] = [_("Choose a record of this workspace.")]
        if self.stage_id and self.pipeline_id and self.stage.pipeline_id != self.pipeline_id:
            errors["stage"] = [_("The stage must belong to the deal's pipeline.")]
        if not isinstance(self.checklist_done, list):
            errors["checklist_done"] = [_("Must be a list of checklist items.")]
        if errors:
            raise ValidationError(errors)


class OpportunityContact(WorkspaceModel):
    """A contact's role in the deal's decision chain (NET-4)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="contact_roles"
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.CASCADE,
        related_name="opportunity_roles",
        verbose_name=_("contact"),
    )
    role = models.CharField(_("role"), max_length=24, choices=ContactRole.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("deal contact")
        verbose_name_plural = _("deal contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact"], name="oppcontact_unique_contact"
            )
        ]
        indexes = [models.Index(fields=["contact", "-id"], name="oppcontact_contact_idx")]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()})"


class StageHistory(WorkspaceModel):
    """One stay of a deal in a stage: entered_at until left_at (null while it is still there)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_history"
    )
    from_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="history")
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    actor = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["entered_at", "id"]
        verbose_name = _("stage history")
        verbose_name_plural = _("stage history")
        indexes = [
            models.Index(fields=["opportunity", "entered_at"], name="stagehist_opp_idx"),
        ]

    @property
    def duration(self):
        return (self.left_at or timezone.now()) - self.entered_at
