"""Choices of the members app: levels, statuses, transaction and ledger kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NORMAL = "normal", _("Normal member")
    VIP = "vip", _("VIP member")
    SVIP = "svip", _("SVIP member")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FROZEN = "frozen", _("Frozen")


class TransactionKind(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    RETURN = "return", _("Return")


class PointsKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")
    EXPIRE = "expire", _("Expired")
    ADJUST = "adjust", _("Adjusted")
    CLAWBACK = "clawback", _("Clawed back")
