"""Reads of custom field definitions and tags (with usage counts) for one membership."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from guanxi.core.models import Tag
from guanxi.core.permissions import Action
from guanxi.customfields.models import CustomFieldDefinition
from guanxi.customfields.services import tag_relations


def definition_list(*, membership: Any, action: str = Action.VIEW) -> QuerySet:
    return CustomFieldDefinition.objects.filter(workspace=membership.workspace).order_by(
        "model", "order", "id"
    )


def tag_list(*, membership: Any, action: str = Action.VIEW) -> QuerySet:
    return Tag.objects.filter(workspace=membership.workspace)


def tags_with_usage(*, membership: Any) -> QuerySet:
    """The workspace's tags, each with `usage`: how many records of any type carry it (one
    query: a counting subquery per tagged model)."""
    total: Any = Value(0)
    for through, _column in tag_relations():
        counts = (
            through.objects.filter(tag=OuterRef("pk"))
            .order_by()
            .values("tag")
            .annotate(n=Count("pk"))
            .values("n")
        )
        total = total + Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    return tag_list(membership=membership).annotate(usage=total).order_by("group", "name")
