from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")


class RecordType(models.TextChoices):
    """The record types that can be checked for duplicates and merged (model labels)."""

    CONTACT = "contacts.contact", _("Contact")
    COMPANY = "companies.company", _("Company")
