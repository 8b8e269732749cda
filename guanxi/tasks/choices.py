"""Choices of the tasks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    TODO = "todo", _("To-do")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")


class TaskPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# done and cancelled tasks are archived: hidden from lists unless asked for
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)
OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class LinkedType(models.TextChoices):
    CONTACT = "contact", _("Contact")
    COMPANY = "company", _("Company")
    LEAD = "lead", _("Lead")
    OPPORTUNITY = "opportunity", _("Opportunity")
    NONE = "none", _("Not linked")


# Tabler badge colours
PRIORITY_COLOURS = {
    TaskPriority.LOW: "secondary",
    TaskPriority.NORMAL: "blue",
    TaskPriority.HIGH: "orange",
    TaskPriority.URGENT: "red",
}
