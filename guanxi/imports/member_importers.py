"""Members and their transactions: validated for the whole file first (one query per lookup),
then written row by row through the members services (member numbers, levels and points are
their business), all inside the import's one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.contacts.models import Contact
from guanxi.core.permissions import Action
from guanxi.imports.importers import (
    Outcome,
    Progress,
    RecordImporter,
    RowResult,
    no_progress,
)
from guanxi.imports.targets import CUSTOM_PREFIX, mobile_key

MAX_AMOUNT = Decimal("1e12")


class RowValues(dict):
    """What one row will write; `pk` is None until the row is matched or written."""

    pk = None


class ServiceImporter(RecordImporter):
    """Rows become keyword arguments of a service call, made once every row passed."""

    selector_path: ClassVar[str]
    # rows hold the stored records they matched, which the import must read afresh
    validation_reusable: ClassVar[bool] = False

    def validate_row(self, row: RowResult, existing: dict[str, Any], match_on: str) -> None:
        values = RowValues()
        custom: dict[str, str] = {}
        for key, raw in row.values.items():
            item = self.fields[key]
            if item.kind == "custom":
                custom[key] = raw
                continue
            try:
                values[key] = self.convert_value(item, raw)
            except ValidationError as exc:
                self.add_error(row, key, exc.messages)
        match = None
        if match_on and row.values.get(match_on):
            match = existing.get(
                self.target.natural_key(match_on).lookup_value(row.values[match_on])
            )
        row.is_new = match is None
        values.pk = getattr(match, "pk", None)
        values["_match"] = match
        row.instance = values
        if custom:
            self.custom_values(values, custom, row, match)
        self.check_row(row, values)

    def custom_values(self, values: RowValues, cells: dict[str, str], row: RowResult, match: Any):
        from guanxi.customfields.values import clean_custom_values, parse_custom_value

        parsed = {}
        for key, raw in cells.items():
            try:
                parsed[key.removeprefix(CUSTOM_PREFIX)] = parse_custom_value(
                    self.definitions[key.removeprefix(CUSTOM_PREFIX)], raw
                )
            except ValidationError as exc:
                self.add_error(row, key, exc.messages)
        existing = dict(match.custom_fields or {}) if match is not None else None
        try:
            values["custom_fields"] = clean_custom_values(
                self.definitions.values(), parsed, existing=existing
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(row, CUSTOM_PREFIX + name.removeprefix("custom_fields."), messages)

    def check_row(self, row: RowResult, values: RowValues) -> None:
        """Rules that need the converted values (required fields, relations)."""

    def check_unique(self, rows: list[RowResult]) -> None:
        return None

    def compute_changes(self, rows: list[RowResult]) -> None:
        return None  # the services audit what they write

    @transaction.atomic
    def write(self, outcome: Outcome, *, progress: Progress = no_progress) -> tuple[int, int, int]:
        created = updated = 0
        rows = outcome.valid_rows
        for number, row in enumerate(rows, start=1):
            if self.write_row(row.instance):
                created += 1
            else:
                updated += 1
            if number % 100 == 0:
                progress(number / len(rows))
        return created, updated, 0

    def write_row(self, values: RowValues) -> bool:
        """Write one row; True when it created a record."""
        raise NotImplementedError


class MemberImporter(ServiceImporter):
    """Enrols contacts as members: the contact is found by mobile or email, or created."""

    model = Contact  # the records a member row may create besides the member
    selector_path = "guanxi.members.selectors.member_list"

    def prepare(self, rows: list[RowResult]) -> None:
        mobiles = {mobile_key(r.values["mobile"]) for r in rows if r.values.get("mobile")}
        emails = {email_lookup(r.values["email"]) for r in rows if r.values.get("email")}
        contacts = (
            Contact.objects.filter(workspace=self.workspace)
            .filter(
                models.Q(mobile_index__in=mobiles - {""}) | models.Q(email_index__in=emails - {""})
            )
            .select_related("member")
        )
        self.by_mobile = {c.mobile_index: c for c in contacts if c.mobile_index}
        self.by_email = {c.email_index: c for c in contacts if c.email_index}
        numbers = {r.values["member_number"] for r in rows if r.values.get("member_number")}
        from guanxi.members.models import Member

        self.taken_numbers = set(
            Member.objects.filter(workspace=self.workspace, member_number__in=numbers).values_list(
                "member_number", flat=True
            )
        )
        self.seen_numbers: dict[str, int] = {}
        self.seen_contacts: dict[Any, int] = {}

    def check_row(self, row: RowResult, values: RowValues) -> None:
        match = values["_match"]
        number = values.get("member_number", "")
        if number and match is None:
            if number in self.taken_numbers:
                self.add_error(row, "member_number", [_("This member number is taken.")])
            elif number in self.seen_numbers:
                self.add_error(
                    row,
                    "member_number",
                    [
                        _("Same value as row %(row)s of this file.")
                        % {"row": self.seen_numbers[number]}
                    ],
                )
            self.seen_numbers.setdefault(number, row.line)
        if match is not None:
            return
        contact = None
        if values.get("mobile"):
            contact = self.by_mobile.get(mobile_key(values["mobile"]))
        if contact is None and values.get("email"):
            contact = self.by_email.get(email_lookup(values["email"]))
        if contact is not None:
            member = getattr(contact, "member", None)
            if member is not None:
                self.add_error(
                    row,
                    "mobile" if values.get("mobile") else "email",
                    [
                        _("%(name)s is already member %(number)s.")
                        % {"name": contact.name, "number": member.member_number}
                    ],
                )
                return
            values["contact"] = contact
        else:
            draft = Contact(
                workspace_id=None,
                name=values.get("name", ""),
                mobile=values.get("mobile", ""),
                email=values.get("email", ""),
                owner=self.membership.user,
                source="import",
            )
            try:
                draft.full_clean(
                    exclude={"workspace", "owner", "company"},
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(row, name if name in self.fields else "", messages)
                return
            values["new_contact"] = draft
            contact = draft
        key = (
            contact.pk
            if contact.pk and not contact._state.adding
            else (contact.mobile_index or contact.email_index)
        )
        if key in self.seen_contacts:
            self.add_error(
                row,
                "",
                [_("Same contact as row %(row)s of this file.") % {"row": self.seen_contacts[key]}],
            )
        self.seen_contacts.setdefault(key, row.line)

    def write_row(self, values: RowValues) -> bool:
        from guanxi.members.services import member_enrol, member_update

        fields = {k: values[k] for k in ("status", "joined_at", "custom_fields") if k in values}
        if values["_match"] is not None:
            member_update(member=values["_match"], actor=self.membership.user, data=fields)
            return False
        contact = values.get("contact")
        if contact is None:
            contact = values["new_contact"]
            contact.workspace = self.workspace
            contact.save()
        member_enrol(
            workspace=self.workspace,
            contact=contact,
            actor=self.membership.user,
            member_number=values.get("member_number", ""),
            **fields,
        )
        return True


def email_lookup(raw: str) -> str:
    from guanxi.imports.targets import email_key

    return email_key(raw)


class TransactionImporter(ServiceImporter):
    """Purchases and returns of members found by member number or their contact's mobile; a
    row with an external reference is recorded once however often the file is imported."""

    model = Contact
    selector_path = "guanxi.members.selectors.transaction_list"

    def convert_value(self, item: Any, raw: str) -> Any:
        if item.key == "amount":
            return parse_amount(raw)
        return super().convert_value(item, raw)

    def prepare(self, rows: list[RowResult]) -> None:
        from guanxi.members.selectors import member_list

        numbers = {r.values["member_number"] for r in rows if r.values.get("member_number")}
        mobiles = {mobile_key(r.values["mobile"]) for r in rows if r.values.get("mobile")} - {""}
        members = member_list(membership=self.membership, action=Action.ADD).filter(
            models.Q(member_number__in=numbers) | models.Q(contact__mobile_index__in=mobiles)
        )
        self.by_number = {m.member_number: m for m in members}
        self.by_mobile = {m.contact.mobile_index: m for m in members if m.contact.mobile_index}

    def check_row(self, row: RowResult, values: RowValues) -> None:
        member = None
        if values.get("member_number"):
            member = self.by_number.get(values["member_number"])
        elif values.get("mobile"):
            member = self.by_mobile.get(mobile_key(values["mobile"]))
        if member is None:
            key = "member_number" if values.get("member_number") else "mobile"
            self.add_error(row, key, [_("No member of yours has this number or mobile.")])
        values["member"] = member
        for key in ("kind", "occurred_on", "amount"):
            # a cell that failed to convert was reported already
            if key not in values and key not in row.values:
                self.add_error(row, key, [_("This field is required.")])
        day = values.get("occurred_on")
        if day and day > timezone.localdate():
            self.add_error(row, "occurred_on", [_("The date cannot be in the future.")])

    def write_row(self, values: RowValues) -> bool:
        from guanxi.members.services import transaction_record_once

        reference = values.get("external_ref", "")
        _record, created = transaction_record_once(
            workspace=self.workspace,
            member=values["member"],
            actor=self.membership.user,
            kind=values["kind"],
            amount=values["amount"],
            occurred_on=values["occurred_on"],
            channel=values.get("channel", ""),
            external_ref=reference,
            idempotency_key=f"import:{reference}" if reference else None,
        )
        return created


def parse_amount(raw: str) -> Decimal:
    text = raw.replace(",", "").replace("¥", "").replace("￥", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("Enter an amount like 199.00.")) from exc
    if (
        not value.is_finite()
        or value < 0
        or value >= MAX_AMOUNT
        or value != value.quantize(Decimal("0.01"))
    ):
        raise ValidationError(_("Enter an amount of at least 0 with at most 2 decimals."))
    return value
