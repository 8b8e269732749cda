"""Keeping derived data-quality values current after writes: completeness and match keys."""

from __future__ import annotations

from django.db import models

from guanxi.quality.completeness import completeness_refresh, completeness_update
from guanxi.quality.detection import match_keys_refresh


def record_quality_refresh(record: models.Model) -> None:
    """After a service saved `record`: its completeness score and its duplicate match keys."""
    completeness_update(record)
    match_keys_refresh(type(record)._base_manager.filter(pk=record.pk))


def records_quality_refresh(queryset: models.QuerySet) -> None:
    """The bulk twin for importers: one workspace's records, set-based."""
    completeness_refresh(queryset)
    match_keys_refresh(queryset)
