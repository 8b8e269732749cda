"""Readable labels for the quality app's codes and the rows its pages show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.quality import matching
from guanxi.quality.choices import RecordType

REASON_LABELS = {
    matching.SAME_MOBILE: _("same mobile"),
    matching.SAME_EMAIL: _("same email"),
    matching.SAME_NAME: _("same name"),
    matching.SIMILAR_NAME: _("similar name"),
    matching.SAME_COMPANY: _("same company"),
    matching.SIMILAR_ADDRESS: _("similar address"),
    matching.SAME_PHONE: _("same phone"),
    matching.SAME_WEBSITE: _("same website"),
    matching.ALIAS_MATCH: _("matches an alias"),
}

# URL segment ↔ record type
SLUG_OF = {RecordType.CONTACT: "contacts", RecordType.COMPANY: "companies"}
TYPE_OF_SLUG = {slug: record_type for record_type, slug in SLUG_OF.items()}


def reason_labels(reasons: list[str]) -> list[str]:
    return [str(REASON_LABELS.get(code, code)) for code in reasons]
