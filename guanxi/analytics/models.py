"""Sales targets: an amount per user or per team per month, the yardstick of the forecast."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import WorkspaceModel

MAX_TARGET = 10**12 - 1


class SalesTarget(WorkspaceModel):
    """What one user or one team should win in one month (exactly one of user / team)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    team = models.ForeignKey(
        "workspaces.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    # always the first day of the month (clean() normalises it)
    month = models.DateField(_("month"), help_text=_("Any day of the month; stored as the 1st."))
    amount = models.DecimalField(
        _("target amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_TARGET)],
    )

    audit_enabled = True

    class Meta:
        ordering = ["-id"]
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, team__isnull=True)
                | Q(user__isnull=True, team__isnull=False),
                name="salestarget_user_xor_team",
                violation_error_message=_("Choose either a user or a team, not both."),
            ),
            models.UniqueConstraint(
                fields=["workspace", "user", "month"],
                condition=Q(user__isnull=False),
                name="salestarget_unique_user_month",
                violation_error_message=_("This user already has a target for this month."),
            ),
            models.UniqueConstraint(
                fields=["workspace", "team", "month"],
                condition=Q(team__isnull=False),
                name="salestarget_unique_team_month",
                violation_error_message=_("This team already has a target for this month."),
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "month", "-id"], name="salestarget_ws_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.team} · {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("analytics:targets:edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)
        if (self.user_id is None) == (self.team_id is None):
            raise ValidationError({"user": _("Choose either a user or a team, not both.")})
        workspace_id = self.workspace_id
        if self.team_id is not None and self.team.workspace_id != workspace_id:
            raise ValidationError({"team": _("Choose a team of this workspace.")})
        if (
            self.user_id is not None
            and not self.user.memberships.filter(workspace_id=workspace_id).exists()
        ):
            raise ValidationError({"user": _("Choose a user who belongs to this workspace.")})
