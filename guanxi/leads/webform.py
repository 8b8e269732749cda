"""The public web-to-lead form: settings, rate limit, and turning a submission into a lead."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from guanxi.companies.choices import Source
from guanxi.leads.models import Lead, WebForm, new_form_token
from guanxi.leads.services import lead_create

# submissions per client IP per minute, across all forms of this server
RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 60
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
UTM_MAX_LENGTH = 100


def web_form_for(workspace: Any) -> WebForm:
    form, _created = WebForm.objects.get_or_create(workspace=workspace)
    return form


@transaction.atomic
def web_form_regenerate(*, web_form: WebForm, actor: Any) -> WebForm:
    web_form.token = new_form_token()
    web_form.save(update_fields=["token", "updated_at"])
    return web_form


def rate_limited(ip: str) -> bool:
    """True once this IP sent more than RATE_LIMIT submissions in the current window."""
    key = f"leads:webform:{ip}:{int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        count = 1
    return count > RATE_LIMIT


def utm_from(query: Any) -> dict[str, str]:
    """The page's UTM parameters, as the form carried them over from its own query string."""
    return {
        name: str(query.get(name, "")).strip()[:UTM_MAX_LENGTH]
        for name in UTM_FIELDS
        if str(query.get(name, "")).strip()
    }


def web_lead_create(*, web_form: WebForm, data: dict[str, Any], utm: dict[str, str]) -> Lead:
    """A lead from a submission: consent recorded with its wording, scored, assigned by rules."""
    fields = {
        key: data[key]
        for key in (
            "name",
            "company_name",
            "job_title",
            "mobile",
            "email",
            "industry",
            "company_size",
            "province",
            "city",
            "expressed_interest",
            "description",
        )
        if data.get(key)
    }
    return lead_create(
        workspace=web_form.workspace,
        actor=None,
        auto_assign=True,
        source=Source.WEBSITE,
        channel="web form",
        product_interest=web_form.product_interest,
        form_submissions=1,
        consent=True,
        consent_text=web_form.consent_wording,
        **utm,
        **fields,
    )
