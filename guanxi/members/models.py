"""Members (会员), their transactions, the points ledger, level changes and loyalty settings."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core.models import BaseModel, Tag, WorkspaceModel
from guanxi.members.choices import Level, MemberStatus, PointsKind, TransactionKind

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class LoyaltySettings(BaseModel):
    """The workspace's loyalty rules; created with the defaults when first needed."""

    workspace = models.OneToOneField(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        related_name="loyalty_settings",
        editable=False,
    )
    vip_threshold = models.DecimalField(
        _("VIP from total spend"),
        default=Decimal("1000.00"),
        validators=[MinValueValidator(ZERO)],
        **MONEY,
    )
    svip_threshold = models.DecimalField(
        _("SVIP from total spend"),
        default=Decimal("5000.00"),
        validators=[MinValueValidator(ZERO)],
        **MONEY,
    )
    points_per_unit = models.DecimalField(
        _("points per 1.00 spent"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1000"))],
        help_text=_("0 turns earning off."),
    )
    points_expiry_months = models.PositiveSmallIntegerField(
        _("points expire after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    number_prefix = models.CharField(
        _("member number prefix"),
        max_length=10,
        default="VIP",
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]*$", _("Use letters, digits and hyphens only."))],
    )
    number_width = models.PositiveSmallIntegerField(
        _("member number digits"),
        default=8,
        validators=[MinValueValidator(4), MaxValueValidator(16)],
    )

    audit_enabled = True

    class Meta:
        verbose_name = _("loyalty settings")
        verbose_name_plural = _("loyalty settings")

    def __str__(self) -> str:
        return str(_("Loyalty settings"))

    def clean(self) -> None:
        if (
            self.vip_threshold is not None
            and self.svip_threshold is not None
            and self.vip_threshold >= self.svip_threshold
        ):
            raise ValidationError(
                {"svip_threshold": _("The SVIP threshold must be higher than the VIP threshold.")}
            )

    def level_for(self, total: Decimal) -> str:
        """MEM-2: normal below the VIP threshold, VIP up to the SVIP threshold, SVIP from it."""
        if total >= self.svip_threshold:
            return Level.SVIP
        if total >= self.vip_threshold:
            return Level.VIP
        return Level.NORMAL


class MemberSequence(models.Model):
    """The last member number handed out in a workspace (one row, incremented under a lock)."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_value)


class Member(WorkspaceModel):
    """A contact enrolled in the loyalty programme (MEM-1); visibility and owner follow the contact."""

    contact = models.OneToOneField(
        "contacts.Contact",
        on_delete=models.CASCADE,
        related_name="member",
        verbose_name=_("contact"),
    )
    member_number = models.CharField(_("member number"), max_length=32)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NORMAL)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    points_balance = models.BigIntegerField(_("points"), default=0)
    total_consumption = models.DecimalField(_("total spend"), default=ZERO, **MONEY)
    last_purchase_at = models.DateField(_("last purchase"), null=True, blank=True)
    purchases_12m = models.PositiveIntegerField(_("purchases in 12 months"), default=0)
    interest_tags = models.ManyToManyField(
        Tag, blank=True, related_name="members", verbose_name=_("interest tags")
    )
    joined_at = models.DateField(_("joined on"), default=timezone.localdate)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)

    audit_enabled = True

    class Meta:
        ordering = ["-id"]
        verbose_name = pgettext_lazy("loyalty", "member")
        verbose_name_plural = pgettext_lazy("loyalty", "members")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "member_number"], name="member_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(total_consumption__gte=0), name="member_spend_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(points_balance__gte=0), name="member_points_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "-id"], name="member_ws_id_idx"),
            models.Index(fields=["workspace", "level", "-id"], name="member_ws_level_idx"),
            models.Index(fields=["workspace", "status", "-id"], name="member_ws_status_idx"),
            models.Index(
                fields=["workspace", "total_consumption", "-id"], name="member_ws_spend_idx"
            ),
            models.Index(
                fields=["workspace", "last_purchase_at", "-id"], name="member_ws_recency_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.member_number

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])


class Transaction(WorkspaceModel):
    """A purchase or a return of a member (MEM-4); never edited, a return corrects a purchase."""

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="transactions",
        verbose_name=pgettext_lazy("loyalty", "member"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=TransactionKind.choices)
    occurred_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(ZERO)], **MONEY)
    channel = models.CharField(_("channel or store"), max_length=100, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    audit_enabled = True

    class Meta:
        ordering = ["-id"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="transaction_unique_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="transaction_amount_gte_0"),
        ]
        indexes = [
            models.Index(fields=["workspace", "-id"], name="txn_ws_id_idx"),
            models.Index(fields=["workspace", "member", "-id"], name="txn_ws_member_idx"),
            models.Index(fields=["workspace", "kind", "-id"], name="txn_ws_kind_idx"),
            models.Index(fields=["workspace", "occurred_on", "-id"], name="txn_ws_date_idx"),
            models.Index(fields=["member", "kind", "occurred_on"], name="txn_member_kind_date_idx"),
            # plain twin of the partial unique index (SQLite cannot use a partial one for `= ?`)
            models.Index(fields=["workspace", "idempotency_key"], name="txn_ws_idem_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.occurred_on})"

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.member_id])


class PointsEntry(WorkspaceModel):
    """One line of a member's points ledger; the balance is the sum of the lines.

    Positive lines (earned, added by hand) are lots that later negative lines consume oldest
    first; `remaining` is what is left of a lot, so expiry takes only unspent points.
    """

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="points_entries",
        verbose_name=pgettext_lazy("loyalty", "member"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=PointsKind.choices)
    points = models.BigIntegerField(_("points"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    remaining = models.BigIntegerField(_("unspent"), default=0)
    transaction = models.ForeignKey(
        Transaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("transaction"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0), name="points_entry_remaining_gte_0"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "-id"], name="points_member_id_idx"),
            models.Index(fields=["member", "remaining", "expires_on"], name="points_lots_idx"),
            models.Index(fields=["expires_on", "remaining"], name="points_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+d}"


class LevelChange(WorkspaceModel):
    """A member moved between levels (shown on the contact's timeline)."""

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="level_changes",
        verbose_name=pgettext_lazy("loyalty", "member"),
    )
    from_level = models.CharField(_("from"), max_length=10, choices=Level.choices)
    to_level = models.CharField(_("to"), max_length=10, choices=Level.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    transaction = models.ForeignKey(
        Transaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="level_changes",
        verbose_name=_("transaction"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        indexes = [models.Index(fields=["member", "-at"], name="level_change_member_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_from_level_display()} → {self.get_to_level_display()}"
