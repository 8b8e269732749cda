"""Contacts: people, either at a company (B2B) or on their own as individual customers (B2C)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.companies.models import Company, CustomerProfile
from guanxi.contacts.choices import Gender
from guanxi.core.fields import BlindIndexField, EncryptedTextField, blind_index_of
from guanxi.core.models import Tag
from guanxi.core.pii import (
    email_index_form,
    mask_email,
    mask_id_number,
    mask_mobile,
    mobile_index_form,
    normalise_email,
    normalise_id_number,
    normalise_mobile,
)

# field → (normaliser, index form, masking) for the encrypted personal fields
PII_FIELDS = {
    "mobile": (normalise_mobile, mobile_index_form, mask_mobile),
    "email": (normalise_email, email_index_form, mask_email),
    "id_number": (normalise_id_number, str, mask_id_number),
}
UNIQUE_PII_FIELDS = ("mobile", "email")


class Contact(CustomerProfile):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    mobile = EncryptedTextField(_("mobile"), blank=True)
    mobile_index = BlindIndexField(source="mobile", index_form=mobile_index_form)
    email = EncryptedTextField(_("email"), blank=True)
    email_index = BlindIndexField(source="email", index_form=email_index_form)
    id_number = EncryptedTextField(
        _("ID number"), blank=True, help_text=_("Optional; collect only when needed.")
    )
    id_number_index = BlindIndexField(source="id_number")
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("company"),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts", verbose_name=_("tags"))

    audit_masks = {name: spec[2] for name, spec in PII_FIELDS.items()}

    class Meta:
        # UUIDv7 ids are creation-ordered: "-id" is newest first and matches the cursor
        ordering = ["-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "mobile_index"],
                condition=~Q(mobile_index=""),
                name="contact_unique_mobile",
            ),
            models.UniqueConstraint(
                fields=["workspace", "email_index"],
                condition=~Q(email_index=""),
                name="contact_unique_email",
            ),
        ]
        indexes = [
            # every list filter ends with -id so a page is an ordered index range, no sort
            models.Index(fields=["workspace", "-id"], name="contact_ws_id_idx"),
            models.Index(fields=["workspace", "-created_at", "-id"], name="contact_ws_created_idx"),
            models.Index(fields=["workspace", "owner", "-id"], name="contact_ws_owner_idx"),
            models.Index(fields=["workspace", "company", "-id"], name="contact_ws_company_idx"),
            models.Index(fields=["workspace", "industry", "-id"], name="contact_ws_industry_idx"),
            models.Index(
                fields=["workspace", "lifecycle_stage", "-id"], name="contact_ws_stage_idx"
            ),
            models.Index(fields=["workspace", "source", "-id"], name="contact_ws_source_idx"),
            models.Index(
                fields=["workspace", "completeness", "-id"], name="contact_ws_complete_idx"
            ),
            models.Index(fields=["workspace", "external_id"], name="contact_ws_external_idx"),
            # covers search (name substring or company) and sorting by name
            models.Index(
                fields=["workspace", "name", "company", "id"], name="contact_ws_search_idx"
            ),
            # plain twins of the partial unique indexes: SQLite cannot use a partial index for
            # `= ?` with a bound parameter, so lookups and duplicate checks would scan
            models.Index(fields=["workspace", "mobile_index"], name="contact_ws_mobile_idx"),
            models.Index(fields=["workspace", "email_index"], name="contact_ws_email_idx"),
            models.Index(fields=["workspace", "id_number_index"], name="contact_ws_idno_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])

    @property
    def is_individual(self) -> bool:
        """A contact without a company is a B2C customer (CUS-1)."""
        return self.company_id is None

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for name, (normalise, index_form, _mask) in PII_FIELDS.items():
            raw = getattr(self, name)
            if not raw:
                setattr(self, name, "")
                setattr(self, f"{name}_index", "")
                continue
            try:
                value = normalise(raw)
            except ValidationError as exc:
                errors[name] = exc.messages
                continue
            setattr(self, name, value)
            setattr(self, f"{name}_index", blind_index_of(value, index_form))
        if self.company_id and self.workspace_id and self.company.workspace_id != self.workspace_id:
            errors["company"] = [_("Choose a company of this workspace.")]
        errors.update(self.duplicate_errors(skip=errors))
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: set[str] | None = None) -> None:
        # clean() already reported duplicates with a message naming the other contact
        exclude = set(exclude or ())
        exclude |= {f"{name}_index" for name in PII_FIELDS if name in exclude}
        super().validate_constraints(exclude=exclude)

    def duplicate_errors(self, *, skip: dict) -> dict[str, list]:
        """Mobile and email are unique per workspace; the message names the existing contact."""
        errors = {}
        for name in UNIQUE_PII_FIELDS:
            index = getattr(self, f"{name}_index")
            if name in skip or not index or not self.workspace_id:
                continue
            other = (
                Contact.objects.filter(workspace_id=self.workspace_id, **{f"{name}_index": index})
                .exclude(pk=self.pk)
                .only("id", "name")
                .first()
            )
            if other:
                label = _("mobile") if name == "mobile" else _("email")
                errors[name] = [
                    _("This %(field)s already belongs to contact “%(name)s” (%(id)s).")
                    % {"field": label, "name": other.name, "id": other.pk}
                ]
        return errors
