"""Validates every row of a file against the models' own rules and writes the valid ones in
bulk: conversion, full_clean per row, one duplicate query per unique field for the whole file,
multi-row inserts (tag links included) and audit rows in bulk."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.audit.choices import AuditAction
from guanxi.audit.context import snapshots_skipped
from guanxi.audit.recording import diff, record_bulk, snapshot
from guanxi.companies.choices import Source
from guanxi.companies.models import Company, CompanyAlias
from guanxi.contacts.models import Contact
from guanxi.core.inserts import instances_insert
from guanxi.core.permissions import Action
from guanxi.imports.owner_tags import (
    WorkspaceMembers,
    inactive_users,
    records_tags_add,
    tag_names_of,
)
from guanxi.imports.parsing import Table
from guanxi.imports.targets import (
    CUSTOM_PREFIX,
    ImportField,
    Target,
    convert,
    custom_definitions,
    fields_for,
)

WRITE_BATCH = 500
PREVIEW_ROWS = 20
CJK = re.compile(r"[\u4e00-\u9fff]")
Progress = Callable[[float], None]


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    instance: models.Model | None = None
    is_new: bool = True
    errors: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    # tag names the row adds to its record: names, not Tag rows, so that the tags are looked
    # up (and the missing ones created) only when the import writes
    tags: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class Outcome:
    rows: list[RowResult]
    # records the rows need that do not exist yet (a contact's new company)
    related_creates: list[models.Model] = field(default_factory=list)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [error for row in self.rows for error in row.errors]

    @property
    def valid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.valid]

    @property
    def invalid_count(self) -> int:
        return sum(1 for row in self.rows if not row.valid)


def no_progress(fraction: float) -> None:
    return None


class RecordImporter:
    """Import logic for one model; subclasses name the model and its special columns."""

    model: ClassVar[type[models.Model]]
    # instance attribute → import field reported when two rows or records share a value
    unique_attributes: ClassVar[dict[str, str]] = {}
    # fields resolved by the importer rather than set from text, and never full_clean'ed here
    not_cleaned: ClassVar[set[str]] = {"workspace", "owner", "company", "tags"}
    # a create-mode import may write the preview's validated rows after recheck() (validated.py)
    validation_reusable: ClassVar[bool] = True

    def __init__(self, target: Target):
        self.target = target
        self.choice_cache: dict[str, dict[str, str]] = {}

    # --- validation --------------------------------------------------------------------------
    def validate(
        self,
        *,
        table: Table,
        mapping: dict[str, str],
        membership: Any,
        mode: str,
        match_on: str = "",
        progress: Progress = no_progress,
    ) -> Outcome:
        self.membership = membership
        self.workspace = membership.workspace
        self.fields = {f.key: f for f in fields_for(self.target, self.workspace)}
        self.definitions = {d.key: d for d in custom_definitions(self.target, self.workspace)}
        self.headers = {key: table.headers[int(index)] for index, key in mapping.items()}
        # unmapped fields keep a default or a stored value: validating them is wasted work
        mapped = {"name", *mapping.values()}
        if any(key.startswith(CUSTOM_PREFIX) for key in mapping.values()):
            mapped.add("custom_fields")
        self.unmapped = {f.name for f in self.model._meta.concrete_fields} - mapped
        columns = [(int(index), key) for index, key in mapping.items() if key]
        rows = [
            RowResult(line, {key: cells[index] for index, key in columns if cells[index]})
            for line, cells in table.rows
        ]
        self.prepare(rows)
        existing = self.existing_matches(rows, match_on) if mode == "upsert" else {}
        total = max(len(rows), 1)
        with snapshots_skipped():
            for number, row in enumerate(rows, start=1):
                self.validate_row(row, existing, match_on)
                if number % WRITE_BATCH == 0:
                    progress(number / total)
        self.check_unique(rows)
        self.compute_changes(rows)
        progress(1.0)
        return Outcome(rows, self.related_creates())

    def recheck(self, outcome: Outcome, *, membership: Any, headers: dict[str, str]) -> None:
        """Check the preview's validated rows again against what the stored records decide,
        which may have changed since: values another record now holds."""
        self.membership, self.workspace, self.headers = membership, membership.workspace, headers
        self.check_unique(outcome.rows)
        self.check_owners(outcome.rows)

    def check_owners(self, rows: list[RowResult]) -> None:
        """An owner the file names who has left the workspace since the preview fails the row."""
        named = [row for row in rows if row.valid and row.values.get("owner")]
        gone = inactive_users(self.workspace, {row.instance.owner_id for row in named})
        for row in named:
            if row.instance.owner_id in gone:
                self.add_error(
                    row,
                    "owner",
                    [
                        _("“%(name)s” is no longer an active member of this workspace.")
                        % {"name": row.values["owner"]}
                    ],
                )

    def compute_changes(self, rows: list[RowResult]) -> None:
        """What each matched record's update changes (an update without changes is skipped).
        The file's tags are added to a matched record's tags, never replace them."""
        for row in rows:
            if row.valid and not row.is_new:
                row.changes = diff(self.model, row.instance._audit_snapshot, snapshot(row.instance))
                if row.tags:
                    # matched records come from the list selector, which prefetches their tags
                    current = sorted(tag.name for tag in row.instance.tags.all())
                    row.tags = [name for name in row.tags if name not in current]
                    if row.tags:
                        row.changes["tags"] = [current, sorted({*current, *row.tags})]

    def prepare(self, rows: list[RowResult]) -> None:
        """Load what rows refer to, once for the whole file."""

    def related_creates(self) -> list[models.Model]:
        return []

    def existing_matches(self, rows: list[RowResult], match_on: str) -> dict[str, models.Model]:
        """Records this member may change, by their natural key value, in one query."""
        key = self.target.natural_key(match_on)
        values = {
            key.lookup_value(row.values[match_on]) for row in rows if row.values.get(match_on)
        }
        values.discard("")
        if not values:
            return {}
        from django.utils.module_loading import import_string

        selector = import_string(self.selector_path)
        queryset = selector(membership=self.membership, action=Action.CHANGE).filter(
            workspace=self.workspace, **{f"{key.attribute}__in": values}
        )
        return {getattr(record, key.attribute): record for record in queryset}

    def validate_row(
        self, row: RowResult, existing: dict[str, models.Model], match_on: str
    ) -> None:
        instance = None
        if match_on and row.values.get(match_on):
            key = self.target.natural_key(match_on)
            instance = existing.get(key.lookup_value(row.values[match_on]))
        row.is_new = instance is None
        if instance is None:
            instance = self.new_instance()
        row.instance = instance
        failed: set[str] = set()
        custom: dict[str, Any] = {}
        for key, raw in row.values.items():
            item = self.fields[key]
            try:
                if item.kind == "custom":
                    custom[key] = raw
                    continue
                self.assign(instance, item, self.convert_value(item, raw), row)
            except ValidationError as exc:
                self.add_error(row, key, exc.messages)
                failed.add(key)
        self.fill_in(instance, row)
        self.assign_custom(instance, custom, row)
        if row.is_new:
            for item in self.target.fields:
                if (
                    item.required
                    and not getattr(instance, item.key, None)
                    and item.key not in failed
                ):
                    self.add_error(row, item.key, [_("This field is required.")])
                    failed.add(item.key)
        self.full_clean(instance, row, exclude=failed)

    def assign_custom(self, instance: models.Model, cells: dict[str, str], row: RowResult) -> None:
        """Custom field cells through the custom fields' own parsing and validation; on an
        update only the mapped keys change."""
        if not self.definitions or (not cells and not row.is_new):
            return
        from guanxi.customfields.values import clean_custom_values, parse_custom_value

        values: dict[str, Any] = {}
        for key, raw in cells.items():
            try:
                values[key.removeprefix(CUSTOM_PREFIX)] = parse_custom_value(
                    self.definitions[key.removeprefix(CUSTOM_PREFIX)], raw
                )
            except ValidationError as exc:
                self.add_error(row, key, exc.messages)
        existing = None if row.is_new else dict(instance.custom_fields or {})
        try:
            instance.custom_fields = clean_custom_values(
                self.definitions.values(), values, existing=existing
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = CUSTOM_PREFIX + name.removeprefix("custom_fields.")
                if not any(e["column"] == self.headers.get(key) for e in row.errors):
                    self.add_error(row, key if key in self.fields else "", messages)

    def new_instance(self) -> models.Model:
        user = self.membership.user
        return self.model(owner=user, source=Source.IMPORT)

    @cached_property
    def members(self) -> WorkspaceMembers:
        return WorkspaceMembers(self.workspace)

    def convert_value(self, item: ImportField, raw: str) -> Any:
        """A non-empty cell's value: an owner cell names a member, a tags cell tag names."""
        if item.kind == "member":
            return self.members.named(raw)
        if item.kind == "tags":
            return tag_names_of(raw)
        return convert(item, raw, self.choice_cache)

    def assign(self, instance: models.Model, item: ImportField, value: Any, row: RowResult) -> None:
        if item.kind == "tags":
            row.tags = value
            return
        setattr(instance, item.key, value)

    def fill_in(self, instance: models.Model, row: RowResult) -> None:
        """Values derived from several columns, set after every column was read."""

    def full_clean(self, instance: models.Model, row: RowResult, *, exclude: set[str]) -> None:
        # the model's clean() would look for duplicates with one query per row; without a
        # workspace it skips that and check_unique() does it for the whole file at once
        workspace_id = instance.workspace_id
        instance.workspace_id = None
        try:
            instance.full_clean(
                exclude=exclude | self.not_cleaned | self.unmapped,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(row, name if name in self.fields else "", messages)
        finally:
            instance.workspace_id = workspace_id or self.workspace.pk

    def check_unique(self, rows: list[RowResult]) -> None:
        """Values unique per workspace, against each other and the stored records."""
        for attribute, key in self.unique_attributes.items():
            candidates = [r for r in rows if r.valid and getattr(r.instance, attribute)]
            values = {getattr(r.instance, attribute) for r in candidates}
            stored = {
                getattr(record, attribute): record
                for record in self.model.objects.filter(
                    workspace=self.workspace, **{f"{attribute}__in": values}
                ).only("id", "name", attribute)
            }
            seen: dict[str, int] = {}
            for row in candidates:
                value = getattr(row.instance, attribute)
                other = stored.get(value)
                if value in seen:
                    self.add_error(
                        row,
                        key,
                        [_("Same value as row %(row)s of this file.") % {"row": seen[value]}],
                    )
                elif other is not None and other.pk != row.instance.pk:
                    self.add_error(
                        row,
                        key,
                        [
                            _("Already belongs to “%(name)s” (%(id)s).")
                            % {"name": other.name, "id": other.pk}
                        ],
                    )
                seen.setdefault(value, row.line)

    def add_error(self, row: RowResult, key: str, messages: list[str]) -> None:
        column = self.headers.get(key, "") if key else ""
        value = row.values.get(key, "") if key else ""
        for message in messages:
            row.errors.append(
                {"row": row.line, "column": column, "value": value, "reason": message}
            )

    # --- writing -----------------------------------------------------------------------------
    @transaction.atomic
    def write(self, outcome: Outcome, *, progress: Progress = no_progress) -> tuple[int, int, int]:
        """Insert and update the valid rows in this transaction; returns created, updated,
        skipped (matched rows without a change)."""
        now = timezone.now()
        related = outcome.related_creates
        if related:
            self.insert(type(related[0]), related)
        new_rows = [row for row in outcome.valid_rows if row.is_new]
        creates = [row.instance for row in new_rows]
        updates = [row for row in outcome.valid_rows if not row.is_new and row.changes]
        skipped = sum(1 for row in outcome.valid_rows if not row.is_new and not row.changes)
        total = max(len(creates) + len(updates), 1)
        # a created record's audit event lists its tags, as a record created in the UI does
        created_tags = {row.instance.pk: row.tags for row in new_rows if row.tags}
        for start in range(0, len(creates), WRITE_BATCH):
            self.insert(self.model, creates[start : start + WRITE_BATCH], created_tags)
            progress(min(start + WRITE_BATCH, len(creates)) / total)
        if updates:
            # tags are links in their own table, written below
            names = {name for row in updates for name in row.changes} - {"tags"}
            attnames = [self.model._meta.get_field(name).attname for name in names]
            derived = [
                f.attname for f in self.model._meta.concrete_fields if f.name.endswith("_index")
            ]
            for row in updates:
                row.instance.updated_at = now
            self.model.objects.bulk_update(
                [row.instance for row in updates],
                [*attnames, *derived, "updated_at"],
                batch_size=WRITE_BATCH,
            )
            changes = {row.instance.pk: row.changes for row in updates}
            record_bulk(
                [row.instance for row in updates], AuditAction.UPDATE, lambda r: changes[r.pk]
            )
        records_tags_add(
            model=self.model,
            workspace=self.workspace,
            names={row.instance.pk: row.tags for row in [*new_rows, *updates] if row.tags},
            batch_size=WRITE_BATCH,
        )
        if related:
            refresh_quality(type(related[0]), [r.pk for r in related])
        refresh_quality(self.model, [r.pk for r in creates] + [row.instance.pk for row in updates])
        progress(1.0)
        return len(creates), len(updates), skipped

    def insert(
        self,
        model: type[models.Model],
        records: list[models.Model],
        tags: dict[Any, list[str]] | None = None,
    ) -> None:
        """Insert the records with one audit event each; `tags` are their tag names by pk."""
        instances_insert(model, records, batch_size=WRITE_BATCH)
        tags = tags or {}

        def changes(record: models.Model) -> dict[str, list[Any]]:
            created = diff(model, {}, snapshot(record))
            if record.pk in tags:
                created["tags"] = [[], tags[record.pk]]
            return created

        record_bulk(records, AuditAction.CREATE, changes)


def refresh_quality(model: type[models.Model], ids: list[Any]) -> None:
    """Completeness scores and duplicate match keys of the written records, by a job once the
    import committed: at ~3 ms a record they would triple a large import's time."""
    if not ids:
        return
    from guanxi.imports.tasks import import_quality_refresh_task

    label, keys = model._meta.label_lower, [str(pk) for pk in ids]
    transaction.on_commit(lambda: import_quality_refresh_task(label, keys))


class CompanyImporter(RecordImporter):
    model = Company
    selector_path = "guanxi.companies.selectors.company_list"
    unique_attributes: ClassVar[dict[str, str]] = {"name": "name"}


class ContactImporter(RecordImporter):
    model = Contact
    selector_path = "guanxi.contacts.selectors.contact_list"
    unique_attributes: ClassVar[dict[str, str]] = {"mobile_index": "mobile", "email_index": "email"}

    def prepare(self, rows: list[RowResult]) -> None:
        """The companies rows name (by name, alias or external id), in two queries."""
        names = {row.values["company"] for row in rows if row.values.get("company")}
        external_ids = {
            row.values["company_external_id"]
            for row in rows
            if row.values.get("company_external_id")
        }
        companies = Company.objects.filter(workspace=self.workspace).filter(
            Q(name__in=names) | Q(external_id__in=external_ids)
        )
        self.companies_by_name = {c.name: c for c in companies if c.name in names}
        self.companies_by_external_id = {c.external_id: c for c in companies if c.external_id}
        unknown = names - self.companies_by_name.keys()
        if unknown:
            for alias in CompanyAlias.objects.filter(
                workspace=self.workspace, name__in=unknown
            ).select_related("company"):
                self.companies_by_name.setdefault(alias.name, alias.company)
        self.new_companies: dict[str, Company] = {}

    def related_creates(self) -> list[models.Model]:
        return list(self.new_companies.values())

    def recheck(self, outcome: Outcome, *, membership: Any, headers: dict[str, str]) -> None:
        """A company the preview would have created may exist by now: the rows take it."""
        super().recheck(outcome, membership=membership, headers=headers)
        planned = {company.name: company for company in outcome.related_creates}
        if not planned:
            return
        existing = {
            company.name: company
            for company in Company.objects.filter(workspace=self.workspace, name__in=planned)
        }
        if not existing:
            return
        for row in outcome.rows:
            company = row.instance._state.fields_cache.get("company")
            if company is not None and company._state.adding and company.name in existing:
                row.instance.company = existing[company.name]
        outcome.related_creates = [c for c in outcome.related_creates if c.name not in existing]

    def assign(self, instance: models.Model, item: ImportField, value: Any, row: RowResult) -> None:
        if item.key in ("given_name", "family_name"):
            return  # joined in fill_in
        if item.key == "company_external_id":
            company = self.companies_by_external_id.get(value)
            if company is None:
                raise ValidationError(_("No company has this external id."))
            instance.company = company
            return
        if item.key == "company":
            instance.company = self.company_named(value)
            return
        super().assign(instance, item, value, row)

    def company_named(self, name: str) -> Company:
        """The company of this name; an unknown name becomes a new company (created with the
        contacts, in the same transaction)."""
        company = self.companies_by_name.get(name) or self.new_companies.get(name)
        if company is None:
            if len(name) > Company._meta.get_field("name").max_length:
                raise ValidationError(_("The company name is too long."))
            company = Company(
                workspace=self.workspace,
                name=name,
                owner=self.membership.user,
                source=Source.IMPORT,
            )
            self.new_companies[name] = company
        return company

    def fill_in(self, instance: models.Model, row: RowResult) -> None:
        if row.values.get("name"):
            return
        given, family = row.values.get("given_name", ""), row.values.get("family_name", "")
        if given or family:
            # 王 + 小明 → 王小明; John + Smith → John Smith
            joiner = "" if CJK.search(given + family) else " "
            name = family + given if CJK.search(given + family) else f"{given}{joiner}{family}"
            instance.name = name.strip()

    def write(self, outcome: Outcome, *, progress: Progress = no_progress) -> tuple[int, int, int]:
        # a new company whose every contact row was invalid is not created
        used = {
            id(company)
            for row in outcome.valid_rows
            if (company := row.instance._state.fields_cache.get("company")) is not None
            and company._state.adding
        }
        outcome.related_creates = [c for c in outcome.related_creates if id(c) in used]
        return super().write(outcome, progress=progress)
