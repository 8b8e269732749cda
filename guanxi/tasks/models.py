"""Tasks: to-dos, calls and meetings assigned to a member, with reminders and comments (TASK-1)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import OwnedModel, WorkspaceModel
from guanxi.tasks.choices import (
    CLOSED_STATUSES,
    PRIORITY_COLOURS,
    TaskKind,
    TaskPriority,
    TaskStatus,
)

MAX_DESCRIPTION_LENGTH = 10_000
MAX_COMMENT_LENGTH = 5_000
# four weeks: a reminder further ahead than that is a different task
MAX_REMIND_MINUTES = 40_320

# the linked-record foreign keys, in the order the UI shows them
LINK_FIELDS = ("lead", "opportunity", "contact", "company")


class Task(OwnedModel):
    """`owner` is the assignee."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=16, choices=TaskKind.choices, default=TaskKind.TODO
    )
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(MAX_DESCRIPTION_LENGTH)]
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # what happened, written when the task is completed
    outcome = models.TextField(
        _("outcome"), blank=True, validators=[MaxLengthValidator(MAX_DESCRIPTION_LENGTH)]
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("company"),
    )
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("lead"),
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("opportunity"),
    )
    remind_minutes_before = models.PositiveIntegerField(
        _("remind minutes before"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_REMIND_MINUTES)],
    )
    # set when the reminder went out, cleared when the due time or the delay changes
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    # jobs creating tasks (stagnation alerts …) pass a key so that running again adds nothing
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)

    audit_enabled = True

    class Meta:
        ordering = ["-id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="task_unique_dedupe_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["workspace", "owner", "status", "due_at"], name="task_ws_owner_idx"
            ),
            models.Index(fields=["workspace", "status", "due_at"], name="task_ws_status_due_idx"),
            models.Index(fields=["workspace", "due_at", "-id"], name="task_ws_due_idx"),
            models.Index(fields=["workspace", "priority", "-id"], name="task_ws_priority_idx"),
            models.Index(fields=["workspace", "contact", "-id"], name="task_ws_contact_idx"),
            models.Index(fields=["workspace", "company", "-id"], name="task_ws_company_idx"),
            models.Index(
                fields=["workspace", "opportunity", "-id"], name="task_ws_opportunity_idx"
            ),
            models.Index(fields=["workspace", "lead", "-id"], name="task_ws_lead_idx"),
            # the reminder job: due reminders not sent yet
            models.Index(
                fields=["remind_at"],
                condition=Q(reminded_at__isnull=True, remind_at__isnull=False),
                name="task_reminder_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def priority_colour(self) -> str:
        return PRIORITY_COLOURS.get(self.priority, "blue")

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and not self.is_closed and self.due_at < timezone.now())

    @property
    def linked_record(self) -> models.Model | None:
        for name in LINK_FIELDS:
            record = getattr(self, name)
            if record is not None:
                return record
        return None

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.workspace_id:
            for name in LINK_FIELDS:
                record = getattr(self, name)
                if record is not None and record.workspace_id != self.workspace_id:
                    errors[name] = [_("Choose a record of this workspace.")]
        if self.remind_minutes_before is not None and self.due_at is None:
            errors["remind_minutes_before"] = [_("A reminder needs a due date and time.")]
        if errors:
            raise ValidationError(errors)


class TaskComment(WorkspaceModel):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="comments", verbose_name=_("task")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # plain text: templates escape it; mentions are resolved when the comment is posted
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)])
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentioned")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["task", "id"], name="taskcomment_task_idx")]

    def __str__(self) -> str:
        return self.body[:50]
