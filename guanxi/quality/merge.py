"""Merge registry: handlers for relations where re-pointing a foreign key is not enough.

Other apps call `register_merge_handler(RelatedModel, handler)` in their AppConfig.ready().
During a merge, for every related model with a registered handler the handler is called as
`handler(survivor, duplicate, actor)` *instead of* the generic re-pointing; it must leave no
row referencing `duplicate` (the duplicate is deleted afterwards).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

MergeHandler = Callable[[models.Model, models.Model, Any], None]

_handlers: dict[type[models.Model], MergeHandler] = {}


def register_merge_handler(related_model: type[models.Model], handler: MergeHandler) -> None:
    """Let `handler(survivor, duplicate, actor)` move `related_model` rows during a merge."""
    _handlers[related_model] = handler


def merge_handler_for(related_model: type[models.Model]) -> MergeHandler | None:
    """The registered handler for `related_model`, or None (use generic re-pointing)."""
    return _handlers.get(related_model)
