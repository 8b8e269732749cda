"""The workspace's data-quality settings row (created with defaults on first read)."""

from __future__ import annotations

from typing import Any

from guanxi.quality.models import QualitySettings


def quality_settings_for(workspace_id: Any) -> QualitySettings:
    settings = QualitySettings.objects.filter(workspace_id=workspace_id).first()
    if settings is None:
        # not saved: reading settings must not write; the settings page saves the row
        settings = QualitySettings(workspace_id=workspace_id)
    return settings
