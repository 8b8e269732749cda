"""Base models: UUIDv7 keys, timestamps, the workspace foreign key and its scoping queryset; tags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.ids import uuid7

if TYPE_CHECKING:
    from guanxi.workspaces.models import Workspace


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def etag(self) -> str:
        """Changes whenever the row is saved; clients send it back in If-Match."""
        return f'"{self.id.hex[:12]}-{int(self.updated_at.timestamp() * 1_000_000)}"'


class WorkspaceQuerySet(models.QuerySet):
    def for_workspace(self, workspace: Workspace | Any) -> WorkspaceQuerySet:
        return self.filter(workspace=workspace)


class WorkspaceModel(BaseModel):
    """Every business row belongs to exactly one workspace."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True


class TagColour(models.TextChoices):
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    PURPLE = "purple", _("Purple")
    GREY = "secondary", _("Grey")


class Tag(WorkspaceModel):
    """A free tag shared by every taggable record type of the workspace (CUS-3)."""

    name = models.CharField(_("name"), max_length=50)
    # tags with the same group are shown together (e.g. "Interest", "Region")
    group = models.CharField(_("group"), max_length=50, blank=True, db_default="")
    colour = models.CharField(
        _("colour"), max_length=16, choices=TagColour.choices, default=TagColour.BLUE
    )

    class Meta:
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique_name")
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class OwnedModel(WorkspaceModel):
    """A record with an owner: visibility own / team / all applies to it (core.permissions)."""

    owner = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )

    class Meta:
        abstract = True
