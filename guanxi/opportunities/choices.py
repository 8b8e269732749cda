"""Choices of the opportunities app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DealState(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


# a stage's type and a deal's status are the same three states: the status follows the stage
StageKind = DealState
OpportunityStatus = DealState


class OpportunitySource(models.TextChoices):
    LEAD = "lead", _("Lead")
    CAMPAIGN = "campaign", _("Campaign")
    WEB = "web", _("Website")
    REFERRAL = "referral", _("Referral")
    EXISTING_CUSTOMER = "existing_customer", _("Existing customer")
    PARTNER = "partner", _("Partner")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class ContactRole(models.TextChoices):
    """Roles in the customer's decision chain (NET-4)."""

    DECISION_MAKER = "decision_maker", _("Decision maker")
    TECHNICAL_EVALUATOR = "technical_evaluator", _("Technical evaluator")
    PURCHASER = "purchaser", _("Purchaser")
    INFLUENCER = "influencer", _("Influencer")


class StageColour(models.TextChoices):
    BLUE = "blue", _("Blue")
    AZURE = "azure", _("Azure")
    CYAN = "cyan", _("Cyan")
    TEAL = "teal", _("Teal")
    GREEN = "green", _("Green")
    LIME = "lime", _("Lime")
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")
    PURPLE = "purple", _("Purple")
    GREY = "secondary", _("Grey")


class Currency(models.TextChoices):
    CNY = "CNY", _("CNY (¥)")
    USD = "USD", _("USD ($)")
    EUR = "EUR", _("EUR (€)")
    HKD = "HKD", _("HKD (HK$)")
    JPY = "JPY", _("JPY (¥)")
    GBP = "GBP", _("GBP (£)")
