"""The owner and tags columns: a cell naming an active member of the import's workspace, and a
cell of tag names read as the tags box of a record form reads them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from guanxi.core.forms import TagNamesField
from guanxi.core.models import Tag
from guanxi.core.services import tags_by_name
from guanxi.users.models import User
from guanxi.workspaces.models import Membership

# how much of a cell an error message repeats (the report has the whole value)
NAME_SHOWN = 60


def tag_names_of(raw: str) -> list[str]:
    """The distinct tag names of a cell, split on , ， ; ； and 、 and checked with the record
    forms' own tags field (length and count limits), so an import accepts what they accept."""
    return TagNamesField().clean(raw)


def tags_to_create(workspace: Any, cells: list[str]) -> list[list[str]]:
    """Per cell, the valid tag names the workspace does not have yet: the tags an import of
    these cells would create (the preview names them; only the import creates them)."""
    names = []
    for cell in cells:
        try:
            names.append(tag_names_of(cell) if cell else [])
        except ValidationError:  # the row's error says why; nothing would be created
            names.append([])
    wanted = {name for cell in names for name in cell}
    existing = set(
        Tag.objects.filter(workspace=workspace, name__in=wanted).values_list("name", flat=True)
        if wanted
        else ()
    )
    return [[name for name in cell if name not in existing] for cell in names]


def _remember(names: dict[str, User | None], name: str, user: User) -> None:
    key = name.strip().casefold()
    if key:
        # a name two members share names neither of them
        names[key] = user if names.get(key, user) == user else None


class WorkspaceMembers:
    """The workspace's active members by the names a file may give them, loaded in one query:
    username or email first (each names one account), then the display form an export writes
    (str(user)), all case-insensitively. Nobody outside the workspace is ever found."""

    def __init__(self, workspace: Any):
        self.by_login: dict[str, User | None] = {}
        self.by_display: dict[str, User | None] = {}
        for user in User.objects.filter(
            pk__in=Membership.objects.filter(workspace=workspace, is_active=True).values("user_id")
        ):
            _remember(self.by_login, user.username, user)
            _remember(self.by_login, user.email, user)
            _remember(self.by_display, str(user), user)

    def named(self, text: str) -> User:
        key, shown = text.strip().casefold(), text[:NAME_SHOWN]
        for names in (self.by_login, self.by_display):
            if key in names:
                user = names[key]
                if user is None:
                    raise ValidationError(
                        _(
                            "Several members of this workspace are called “%(name)s”; "
                            "use the username or email."
                        )
                        % {"name": shown}
                    )
                return user
        raise ValidationError(
            _("No member of this workspace is called “%(name)s”.") % {"name": shown}
        )


def inactive_users(workspace: Any, user_ids: Iterable[Any]) -> set[Any]:
    """Which of these users are not (or no longer) active members of the workspace."""
    wanted = set(user_ids)
    if not wanted:
        return set()
    return wanted - set(
        Membership.objects.filter(
            workspace=workspace, user_id__in=wanted, is_active=True
        ).values_list("user_id", flat=True)
    )


def records_tags_add(
    *, model: type[models.Model], workspace: Any, names: dict[Any, list[str]], batch_size: int
) -> None:
    """Link written records (tag names by record pk) to their tags in a few multi-row inserts.
    The tags are looked up by name in the caller's transaction and the missing ones created by
    the tags' shared service: a tag made since the preview is found, not made twice, and an
    import that fails leaves no tag behind."""
    if not names:
        return
    wanted = {name for record_names in names.values() for name in record_names}
    tags = {tag.name: tag for tag in tags_by_name(workspace=workspace, names=wanted)}
    through = model.tags.through
    source = f"{model._meta.model_name}_id"
    through.objects.bulk_create(
        [
            through(**{source: pk, "tag_id": tags[name].pk})
            for pk, record_names in names.items()
            for name in record_names
        ],
        batch_size=batch_size,
        ignore_conflicts=True,
    )
