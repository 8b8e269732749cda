"""Choices of the assignment rule engine."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    USER = "user", _("A user")
    TEAM = "team", _("A team")
    STRATEGY = "strategy", _("A strategy over all members")


class Strategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOAD = "least_load", _("Least open load")
    SKILL_MATCH = "skill_match", _("Skill match")


class Operator(models.TextChoices):
    EQ = "eq", _("equals")
    NE = "ne", _("does not equal")
    IN = "in", _("is one of")
    GTE = "gte", _("is at least")
    LTE = "lte", _("is at most")
    CONTAINS = "contains", _("contains")
