"""Companies (accounts): the organisations that customers belong to (CUS-1, CUS-2)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.companies.choices import (
    CompanySize,
    CreditLevel,
    CustomerType,
    Industry,
    LifecycleStage,
    Source,
)
from guanxi.core.models import OwnedModel, Tag, WorkspaceModel

ADDRESS_FIELDS = ("country", "province", "city", "district", "street", "postcode")
PROFILE_FIELDS = (
    "industry",
    "source",
    "lifecycle_stage",
    "customer_type",
    "credit_level",
    "credit_score",
    "description",
)


class Address(models.Model):
    """Postal address fields shared by companies and contacts."""

    country = models.CharField(_("country"), max_length=60, blank=True, default="中国")
    province = models.CharField(_("province"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    district = models.CharField(_("district"), max_length=60, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)

    class Meta:
        abstract = True


class CustomerProfile(OwnedModel, Address):
    """Classification shared by companies and contacts."""

    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.LEAD,
    )
    customer_type = models.CharField(
        _("customer type"),
        max_length=20,
        choices=CustomerType.choices,
        default=CustomerType.PROSPECT,
    )
    credit_level = models.CharField(
        _("credit level"), max_length=3, choices=CreditLevel.choices, blank=True
    )
    credit_score = models.PositiveSmallIntegerField(
        _("credit score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    description = models.TextField(_("notes"), blank=True, max_length=5000)
    # the id this record has in another system (ERP, shop, old CRM): imports match on it
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    # values of the workspace's custom field definitions, keyed by definition key (CUS-3)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    # 0–100, weighted filled-in fields; kept up to date by the quality app (DQ-3)
    completeness = models.PositiveSmallIntegerField(_("completeness"), default=0, editable=False)

    audit_enabled = True
    # derived from the other fields: the change that moved it is what the audit log shows
    audit_exclude = ("completeness",)

    class Meta:
        abstract = True


class Company(CustomerProfile):
    name = models.CharField(_("company name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    size = models.CharField(
        _("company size"), max_length=10, choices=CompanySize.choices, blank=True
    )
    website = models.URLField(_("website"), blank=True, max_length=200)
    phone = models.CharField(_("switchboard phone"), max_length=30, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="companies", verbose_name=_("tags"))

    class Meta:
        # UUIDv7 ids are creation-ordered: "-id" is newest first and matches the cursor
        ordering = ["-id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="company_unique_name")
        ]
        indexes = [
            # every list filter ends with -id so a page is an ordered index range, no sort
            models.Index(fields=["workspace", "-id"], name="company_ws_id_idx"),
            models.Index(fields=["workspace", "-created_at", "-id"], name="company_ws_created_idx"),
            models.Index(fields=["workspace", "owner", "-id"], name="company_ws_owner_idx"),
            models.Index(fields=["workspace", "industry", "-id"], name="company_ws_industry_idx"),
            models.Index(
                fields=["workspace", "lifecycle_stage", "-id"], name="company_ws_stage_idx"
            ),
            models.Index(fields=["workspace", "source", "-id"], name="company_ws_source_idx"),
            models.Index(
                fields=["workspace", "completeness", "-id"], name="company_ws_complete_idx"
            ),
            models.Index(fields=["workspace", "external_id"], name="company_ws_external_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])

    def clean(self) -> None:
        # reported on `name`, naming the other company; the unique constraint then skips `name`
        if not self.name or not self.workspace_id:
            return
        other = (
            Company.objects.filter(workspace_id=self.workspace_id, name=self.name)
            .exclude(pk=self.pk)
            .only("id", "name")
            .first()
        )
        if other:
            raise ValidationError(
                {
                    "name": _("A company named “%(name)s” already exists (%(id)s).")
                    % {"name": other.name, "id": other.pk}
                }
            )


class CompanyAlias(WorkspaceModel):
    """Another name a company is known by (short name, brand, former or English name): search
    and duplicate detection match aliases as well as the full legal name."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("company")
    )
    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company alias")
        verbose_name_plural = _("company aliases")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="company_alias_unique_name")
        ]
        indexes = [models.Index(fields=["workspace", "name"], name="company_alias_ws_name_idx")]

    def __str__(self) -> str:
        return self.name
