"""Filters every owned record list shares: owner, tags, created range, workspace-scoped choices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import Tag
from guanxi.users.models import User


def workspace_of(request) -> object | None:
    return getattr(request, "workspace", None) if request is not None else None


def workspace_users(request) -> QuerySet[User]:
    return User.objects.filter(memberships__workspace=workspace_of(request)).order_by("username")


def workspace_tags(request) -> QuerySet[Tag]:
    return Tag.objects.filter(workspace=workspace_of(request))


class MultiTagSelect(forms.SelectMultiple):
    """A many-value filter that stays a multiple select on list pages (e.g. "all of these tags")."""


class GroupedTagChoices(BaseChoiceIterator):
    """Tag options with the grouped tags in an <optgroup> per group; read when rendered."""

    def __init__(self, field: forms.ModelChoiceField):
        self.field = field

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[tuple[Any, str]]] = {}
        for pk, name, group in self.field.queryset.order_by("group", "name").values_list(
            "pk", "name", "group"
        ):
            groups.setdefault(group, []).append((pk, name))
        yield from groups.pop("", [])
        yield from groups.items()


class GroupedTagField(forms.ModelMultipleChoiceField):
    @property
    def choices(self) -> GroupedTagChoices:
        return GroupedTagChoices(self)

    @choices.setter
    def choices(self, value: Any) -> None:
        # the options always come from the queryset
        pass


class TagFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = GroupedTagField


class OwnedRecordFilterSet(django_filters.FilterSet):
    """Subclasses declare `search`; `?q=` is accepted as its old short name."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "q" in data and "search" not in data:
            data = data.copy()
            data["search"] = data["q"]
        super().__init__(data, *args, **kwargs)

    owner = django_filters.ModelChoiceFilter(queryset=workspace_users, label=_("Owner"))
    tag = TagFilter(
        field_name="tags", queryset=workspace_tags, label=_("Tag"), method="filter_any_tag"
    )
    tags_all = TagFilter(
        field_name="tags",
        queryset=workspace_tags,
        label=_("All of these tags"),
        method="filter_all_tags",
        widget=MultiTagSelect,
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Created from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Created until")
    )

    def filter_any_tag(self, queryset: QuerySet, name: str, tags: list[Tag]) -> QuerySet:
        """Records carrying any of the tags, each once (EXISTS instead of a duplicating join)."""
        if not tags:
            return queryset
        through = queryset.model.tags.through
        link = f"{queryset.model._meta.model_name}_id"
        return queryset.filter(
            Exists(through.objects.filter(**{link: OuterRef("pk")}, tag__in=tags))
        )

    def filter_all_tags(self, queryset: QuerySet, name: str, tags: list[Tag]) -> QuerySet:
        """Records carrying every one of the tags: one EXISTS per tag."""
        through = queryset.model.tags.through
        link = f"{queryset.model._meta.model_name}_id"
        for tag in tags:
            queryset = queryset.filter(
                Exists(through.objects.filter(**{link: OuterRef("pk")}, tag=tag))
            )
        return queryset
