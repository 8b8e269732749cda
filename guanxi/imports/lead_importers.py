"""Leads: validated for the whole file first, then written row by row through the leads
services, so each lead is linked to a matching contact, scored and routed by the assignment
rules as a web-form lead would be (LEAD-1), inside the import's one transaction. A row that
names its owner keeps that owner instead of being routed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.imports.importers import RowResult
from guanxi.imports.member_importers import RowValues, ServiceImporter
from guanxi.imports.targets import email_key, mobile_key
from guanxi.leads.models import Lead
from guanxi.leads.services import LEAD_EDITABLE_FIELDS, lead_create, lead_update

# what a lead row may set: what the lead form may, less what the services and the wizard own
# (status changes by working the lead, consent by the lead)
LEAD_IMPORT_FIELDS = tuple(
    name
    for name in LEAD_EDITABLE_FIELDS
    if name not in {"status", "consent", "email_opens", "email_clicks", "form_submissions"}
)
# checked by the services against the stored leads, or by check_row within the file
NOT_CHECKED_HERE = {"workspace", "owner", "mobile_index", "email_index"}


class LeadImporter(ServiceImporter):
    model = Lead
    selector_path = "guanxi.leads.selectors.lead_list"

    def prepare(self, rows: list[RowResult]) -> None:
        self.seen: dict[tuple[str, str], int] = {}

    def check_row(self, row: RowResult, values: RowValues) -> None:
        match = values["_match"]
        if match is not None and match.converted_at is not None:
            self.add_error(row, "", [_("This lead is converted and can no longer be changed.")])
            return
        draft = Lead(**{k: v for k, v in values.items() if k in LEAD_IMPORT_FIELDS and k != "tags"})
        if match is not None:
            draft.name = values.get("name") or match.name
        try:
            draft.full_clean(
                exclude=NOT_CHECKED_HERE | self.unmapped,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(row, name if name in self.fields else "", messages)
            return
        for field, key_of in (("mobile", mobile_key), ("email", email_key)):
            if not values.get(field):
                continue
            key = (field, key_of(values[field]))
            if key in self.seen:
                self.add_error(
                    row,
                    field,
                    [_("Same value as row %(row)s of this file.") % {"row": self.seen[key]}],
                )
            self.seen.setdefault(key, row.line)

    def write_row(self, values: RowValues) -> bool:
        fields: dict[str, Any] = {k: values[k] for k in LEAD_IMPORT_FIELDS if k in values}
        match = values["_match"]
        if match is not None:
            if "tags" in fields:
                # the file's tags are added to the lead's (prefetched by the lead selector)
                fields["tags"] = sorted({*(tag.name for tag in match.tags.all()), *fields["tags"]})
            lead_update(lead=match, actor=self.membership.user, data=fields)
            return False
        fields.setdefault("source", "import")
        lead_create(
            workspace=self.workspace, actor=self.membership.user, auto_assign=True, **fields
        )
        return True
