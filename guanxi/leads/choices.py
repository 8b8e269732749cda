"""Choices of leads and their scoring."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    WORKING = "working", _("Working")
    NURTURING = "nurturing", _("Nurturing")
    QUALIFIED = "qualified", _("Qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")
    CONVERTED = "converted", _("Converted")


class LeadPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class ScoreStage(models.TextChoices):
    """Where the score puts the lead against the workspace's thresholds."""

    NONE = "", _("Below MQL")
    MQL = "mql", _("Marketing qualified (MQL)")
    SQL = "sql", _("Sales qualified (SQL)")


class CriterionKind(models.TextChoices):
    # a field's value maps to points: {"technology": 5, …}
    VALUE = "value", _("Field value")
    # a count reaches thresholds: [[0, 1], [2, 2], …] = at least 0 → 1 point …
    COUNT = "count", _("Behaviour count")
    # the field already holds 1–5
    SCALE = "scale", _("1–5 rating")
