"""Leads (LEAD-1, LEAD-4), their scoring model and score history (LEAD-2), and the web form."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.companies.choices import CompanySize, Industry, Source
from guanxi.core.fields import BlindIndexField, EncryptedTextField, blind_index_of
from guanxi.core.models import OwnedModel, Tag, WorkspaceModel
from guanxi.core.pii import (
    email_index_form,
    mask_email,
    mask_mobile,
    mobile_index_form,
    normalise_email,
    normalise_mobile,
)
from guanxi.leads.choices import LeadPriority, LeadStatus, ScoreStage

PII_FIELDS = {
    "mobile": (normalise_mobile, mobile_index_form, mask_mobile),
    "email": (normalise_email, email_index_form, mask_email),
}
SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
COUNTER_VALIDATORS = [MinValueValidator(0), MaxValueValidator(1_000_000)]


class Lead(OwnedModel):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    mobile = EncryptedTextField(_("mobile"), blank=True)
    mobile_index = BlindIndexField(source="mobile", index_form=mobile_index_form)
    email = EncryptedTextField(_("email"), blank=True)
    email_index = BlindIndexField(source="email", index_form=email_index_form)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    channel = models.CharField(
        _("channel"), max_length=50, blank=True, help_text=_("e.g. web form, WeChat, trade fair")
    )
    utm_source = models.CharField(_("UTM source"), max_length=100, blank=True)
    utm_medium = models.CharField(_("UTM medium"), max_length=100, blank=True)
    utm_campaign = models.CharField(_("UTM campaign"), max_length=100, blank=True)
    utm_term = models.CharField(_("UTM term"), max_length=100, blank=True)
    utm_content = models.CharField(_("UTM content"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    company_size = models.CharField(
        _("company size"), max_length=10, choices=CompanySize.choices, blank=True
    )
    product_interest = models.CharField(_("product interest"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=LeadPriority.choices, default=LeadPriority.NORMAL
    )
    score = models.PositiveSmallIntegerField(
        _("score"), default=0, validators=SCORE_VALIDATORS, editable=False
    )
    score_stage = models.CharField(
        _("qualification"), max_length=3, choices=ScoreStage.choices, blank=True, editable=False
    )
    # behaviour (LEAD-2): counted by campaigns, web forms and people
    visits = models.PositiveIntegerField(
        _("website visits"), default=0, validators=COUNTER_VALIDATORS
    )
    email_opens = models.PositiveIntegerField(
        _("email opens"), default=0, validators=COUNTER_VALIDATORS
    )
    email_clicks = models.PositiveIntegerField(
        _("email clicks"), default=0, validators=COUNTER_VALIDATORS
    )
    form_submissions = models.PositiveIntegerField(
        _("form submissions"), default=0, validators=COUNTER_VALIDATORS
    )
    expressed_interest = models.PositiveSmallIntegerField(
        _("expressed interest (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    consent = models.BooleanField(_("consent to be contacted"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True, editable=False)
    consent_text = models.TextField(
        _("consent wording"), blank=True, max_length=2000, editable=False
    )
    description = models.TextField(_("notes"), blank=True, max_length=5000)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="leads", verbose_name=_("tags"))
    # an existing contact with the same mobile or email: flagged and linked, not duplicated
    matched_contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matching_leads",
        verbose_name=_("matching contact"),
        editable=False,
        db_index=False,  # a partial index in Meta: most leads have none
    )
    converted_company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("converted to company"),
        editable=False,
        db_index=False,  # a partial index in Meta: most leads have none
    )
    converted_contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("converted to contact"),
        editable=False,
        db_index=False,  # a partial index in Meta: most leads have none
    )
    converted_opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("converted to opportunity"),
        editable=False,
        db_index=False,  # a partial index in Meta: most leads have none
    )
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True, editable=False)

    audit_enabled = True
    audit_masks = {name: spec[2] for name, spec in PII_FIELDS.items()}

    class Meta:
        ordering = ["-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["workspace", "-id"], name="lead_ws_id_idx"),
            models.Index(fields=["workspace", "owner", "-id"], name="lead_ws_owner_idx"),
            models.Index(fields=["workspace", "status", "-id"], name="lead_ws_status_idx"),
            models.Index(fields=["workspace", "source", "-id"], name="lead_ws_source_idx"),
            models.Index(fields=["workspace", "score", "-id"], name="lead_ws_score_idx"),
            models.Index(fields=["workspace", "score_stage", "-id"], name="lead_ws_stage_idx"),
            models.Index(fields=["workspace", "priority", "-id"], name="lead_ws_priority_idx"),
            models.Index(fields=["workspace", "industry", "-id"], name="lead_ws_industry_idx"),
            models.Index(fields=["workspace", "utm_campaign", "-id"], name="lead_ws_campaign_idx"),
            models.Index(fields=["workspace", "-created_at", "-id"], name="lead_ws_created_idx"),
            models.Index(fields=["workspace", "mobile_index"], name="lead_ws_mobile_idx"),
            models.Index(fields=["workspace", "email_index"], name="lead_ws_email_idx"),
            # lineage lookups from a contact or company; partial, because the links are rare
            # and SQLite's statistics count all the NULLs as one value (it would scan instead)
            *(
                models.Index(
                    fields=[link],
                    condition=Q(**{f"{link}__isnull": False}),
                    name=f"lead_{short}_idx",
                )
                for link, short in (
                    ("matched_contact", "matched"),
                    ("converted_contact", "conv_contact"),
                    ("converted_company", "conv_company"),
                    ("converted_opportunity", "conv_deal"),
                )
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("leads:detail", args=[self.pk])

    @property
    def is_converted(self) -> bool:
        return self.status == LeadStatus.CONVERTED

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
        if errors:
            raise ValidationError(errors)


class ScoringModel(WorkspaceModel):
    """A workspace's weighted scoring: criteria with points 1–5 and weights in % (LEAD-2)."""

    # [{"key", "label", "kind", "field", "weight", "points"}]; see leads.scoring
    criteria = models.JSONField(_("criteria"), default=list)
    mql_threshold = models.PositiveSmallIntegerField(
        _("MQL threshold"), default=60, validators=SCORE_VALIDATORS
    )
    sql_threshold = models.PositiveSmallIntegerField(
        _("SQL threshold"), default=80, validators=SCORE_VALIDATORS
    )

    audit_enabled = True

    class Meta:
        verbose_name = _("scoring model")
        verbose_name_plural = _("scoring models")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="leads_one_scoring_model")
        ]

    def __str__(self) -> str:
        return str(_("Lead scoring"))

    def clean(self) -> None:
        from guanxi.leads.scoring import criteria_errors

        errors = criteria_errors(self.criteria)
        if self.mql_threshold > self.sql_threshold:
            errors["mql_threshold"] = [_("The MQL threshold cannot be above the SQL threshold.")]
        if errors:
            raise ValidationError(errors)


class ScoreHistory(WorkspaceModel):
    """One row per score change of a lead, with the breakdown that explained it."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="score_history")
    score = models.PositiveSmallIntegerField(_("score"))
    stage = models.CharField(
        _("qualification"), max_length=3, choices=ScoreStage.choices, blank=True
    )
    breakdown = models.JSONField(_("breakdown"), default=list)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("score change")
        verbose_name_plural = _("score history")
        indexes = [models.Index(fields=["lead", "-id"], name="lead_score_history_idx")]


DEFAULT_CONSENT_TEXT = _("I agree to be contacted about products and services.")


def new_form_token() -> str:
    return secrets.token_urlsafe(18)


class WebForm(WorkspaceModel):
    """The workspace's public web-to-lead form at /f/<token>/ (no login)."""

    token = models.CharField(_("token"), max_length=40, unique=True, default=new_form_token)
    active = models.BooleanField(_("accepting submissions"), default=True)
    title = models.CharField(_("form title"), max_length=100, blank=True)
    # empty: DEFAULT_CONSENT_TEXT in the visitor's language
    consent_text = models.TextField(_("consent wording"), max_length=2000, blank=True)
    product_interest = models.CharField(
        _("product interest"),
        max_length=100,
        blank=True,
        help_text=_("Set on every lead from this form (e.g. the product the page is about)."),
    )

    audit_enabled = True

    class Meta:
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="leads_one_web_form")]

    def __str__(self) -> str:
        return self.title or str(_("Web form"))

    def get_absolute_url(self) -> str:
        return reverse("leads:web_form")

    @property
    def consent_wording(self) -> str:
        return self.consent_text or str(DEFAULT_CONSENT_TEXT)
