"""Leads as a record type of the assignment rules (LEAD-3)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.assignment.registry import register_assignable
from guanxi.leads.choices import LeadStatus


def register_lead_assignable() -> None:
    from guanxi.leads.models import Lead

    register_assignable(
        "lead",
        model=Lead,
        fields={
            "priority": _("Priority"),
            "product_interest": _("Product interest"),
            "province": _("Province"),
            "city": _("City"),
            "industry": _("Industry"),
            "company_size": _("Company size"),
            "source": _("Source"),
            "channel": _("Channel"),
            "utm_campaign": _("UTM campaign"),
            "utm_source": _("UTM source"),
            "score": _("Score"),
            "score_stage": _("Qualification"),
        },
        # open load: leads still being worked
        open_filter=Q(status__in=[LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURING]),
        skills_field="product_interest",
        resource="leads",
    )
