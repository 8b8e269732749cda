"""Custom field definitions (PLAT-6, CUS-3) and per-user list column choices."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import WorkspaceModel

MAX_DEFINITIONS_PER_MODEL = 100
# lowercase, digits and single underscores: filters are named cf_<key>__gte
KEY_RE = re.compile(r"[a-z](?:[a-z0-9]|_(?!_)){0,49}")


class CustomFieldModel(models.TextChoices):
    COMPANY = "companies.company", _("Companies")
    CONTACT = "contacts.contact", _("Contacts")
    MEMBER = "members.member", _("Members")


class CustomFieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    URL = "url", _("Web address")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


CHOICE_TYPES = (CustomFieldType.CHOICE, CustomFieldType.MULTI_CHOICE)
RANGE_TYPES = (CustomFieldType.NUMBER, CustomFieldType.DECIMAL, CustomFieldType.DATE)


class CustomFieldDefinition(WorkspaceModel):
    """One extra field on a record type. Values live in the record's `custom_fields` JSON under
    `key`, so the label can change freely; archiving (active=False) hides values but keeps them."""

    model = models.CharField(_("record type"), max_length=40, choices=CustomFieldModel.choices)
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_("Stored with every value; cannot be changed after creation."),
    )
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=20, choices=CustomFieldType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    default = models.JSONField(_("default"), null=True, blank=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    audit_enabled = True

    class Meta:
        ordering = ["model", "order", "id"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "model", "key"], name="customfield_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "model", "order"], name="customfield_ws_model_idx")
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.key and not KEY_RE.fullmatch(self.key):
            errors["key"] = _(
                "Start with a letter; use only lowercase letters, digits and single _ (at most 50)."
            )
        if self.type in CHOICE_TYPES:
            choices = self.choices
            if not isinstance(choices, list) or not choices:
                errors["choices"] = _("Give at least one choice.")
            elif not all(isinstance(c, str) and c.strip() for c in choices):
                errors["choices"] = _("Every choice must be non-empty text.")
            elif len(set(choices)) != len(choices):
                errors["choices"] = _("Choices must be different from each other.")
            elif len(choices) > 200 or any(len(c) > 100 for c in choices):
                errors["choices"] = _("At most 200 choices of up to 100 characters each.")
        elif self.choices:
            self.choices = []
        if errors:
            raise ValidationError(errors)
        if self.default not in (None, "", []):
            from guanxi.customfields.values import clean_single_value

            try:
                self.default = clean_single_value(self, self.default)
            except ValidationError as exc:
                raise ValidationError({"default": exc.messages}) from exc


class ListColumnPreference(WorkspaceModel):
    """The columns a user chose for one list page (e.g. "contacts")."""

    user = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=40)
    columns = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user", "list_name"], name="list_columns_unique"
            )
        ]
