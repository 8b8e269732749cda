"""Every write to members: enrol, update, delete, record transactions, loyalty settings.

The points ledger's writes are members.ledger's. The importer calls `member_enrol` and
`transaction_record` (one row at a time, each in its own database transaction).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.contacts.models import Contact
from guanxi.core.errors import ApplicationError
from guanxi.core.services import model_update, save_integrity, tags_by_name
from guanxi.members.choices import PointsKind, TransactionKind
from guanxi.members.ledger import add_months, ledger_add, member_locked, points_for
from guanxi.members.models import (
    ZERO,
    LevelChange,
    LoyaltySettings,
    Member,
    MemberSequence,
    PointsEntry,
    Transaction,
)
from guanxi.members.selectors import loyalty_settings_of
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

MEMBER_EDITABLE_FIELDS = ("status", "joined_at", "interest_tags", "custom_fields")
ENROL_FIELDS = frozenset({"member_number", *MEMBER_EDITABLE_FIELDS})
LOYALTY_SETTINGS_FIELDS = (
    "vip_threshold",
    "svip_threshold",
    "points_per_unit",
    "points_expiry_months",
    "number_prefix",
    "number_width",
)
# numbers typed by hand (imports) may collide with the sequence: skip those taken
MAX_NUMBER_ATTEMPTS = 1000


def member_number_next(*, workspace: Workspace, settings: LoyaltySettings) -> str:
    """The next free member number: prefix + zero-padded per-workspace sequence (VIP00000001).

    The counter row is incremented with an UPDATE … SET last_value = last_value + 1, which
    holds the row lock until the surrounding transaction ends: concurrent enrolments queue up
    and each gets its own value.
    """
    for _attempt in range(MAX_NUMBER_ATTEMPTS):
        MemberSequence.objects.get_or_create(workspace=workspace)
        MemberSequence.objects.filter(workspace=workspace).update(last_value=F("last_value") + 1)
        value = (
            MemberSequence.objects.filter(workspace=workspace)
            .values_list("last_value", flat=True)
            .get()
        )
        number = f"{settings.number_prefix}{value:0{settings.number_width}d}"
        if not Member.objects.filter(workspace=workspace, member_number=number).exists():
            return number
    raise ValidationError({"member_number": _("No free member number was found; try again.")})


@transaction.atomic
def member_enrol(
    *, workspace: Workspace, contact: Contact, actor: User | None, **fields: Any
) -> Member:
    """Make `contact` a member (MEM-1) and return the new member.

    `fields` may hold `member_number` (kept when given, e.g. by an import; otherwise the next
    number of the workspace's sequence), `status`, `joined_at` (a date, default today),
    `interest_tags` (tag names, created when new) and `custom_fields` (a dict). Totals, level
    and points start at zero and change only through transactions and the points ledger.
    Raises ValidationError when the contact is of another workspace or already a member.
    """
    unknown = set(fields) - ENROL_FIELDS
    if unknown:
        raise TypeError(f"member_enrol() got unexpected fields: {sorted(unknown)}")
    if contact.workspace_id != workspace.pk:
        raise ValidationError({"contact": _("Choose a contact of this workspace.")})
    existing = Member.objects.filter(contact=contact).only("member_number").first()
    if existing is not None:
        raise ValidationError(
            {
                "contact": _("%(name)s is already member %(number)s.")
                % {"name": contact.name, "number": existing.member_number}
            }
        )
    tag_names = fields.pop("interest_tags", None) or []
    number = (fields.pop("member_number", "") or "").strip()
    fields = {name: value for name, value in fields.items() if value is not None}
    settings = loyalty_settings_of(workspace)
    member = Member(workspace=workspace, contact=contact, **fields)
    member.member_number = number or member_number_next(workspace=workspace, settings=settings)
    member.level = settings.level_for(member.total_consumption)
    member.full_clean()
    save_integrity(member)
    if tag_names:
        member.interest_tags.set(tags_by_name(workspace=workspace, names=tag_names))
    return member


@transaction.atomic
def member_update(*, member: Member, actor: User | None, data: dict[str, Any]) -> Member:
    """Change what people may edit by hand; totals, level and points follow transactions."""
    data = dict(data)
    if "interest_tags" in data:
        data["interest_tags"] = tags_by_name(
            workspace=member.workspace, names=data["interest_tags"] or []
        )
    if data.get("custom_fields") is None:
        data.pop("custom_fields", None)
    model_update(instance=member, fields=MEMBER_EDITABLE_FIELDS, data=data)
    return member


@transaction.atomic
def member_delete(*, member: Member, actor: User | None) -> None:
    """End the membership: its transactions, points and level history go with it."""
    member.delete()


@transaction.atomic
def loyalty_settings_update(
    *, workspace: Workspace, actor: User | None, data: dict[str, Any]
) -> LoyaltySettings:
    """New thresholds apply from the next transaction of each member (levels are not replayed)."""
    settings = loyalty_settings_of(workspace)
    model_update(instance=settings, fields=LOYALTY_SETTINGS_FIELDS, data=data)
    return settings


# --- transactions -------------------------------------------------------------------------
MAX_ITEMS = 200
ITEM_KEYS = {"sku", "name", "qty", "price"}
# a little slack for workspaces east of UTC recording "today"
FUTURE_SLACK = timedelta(days=1)


class IdempotencyConflict(ApplicationError):
    """The idempotency key was already used for a different transaction."""


def items_normalised(items: Any) -> list[dict[str, Any]]:
    """The line items as [{sku, name, qty, price}] with price as a 2-place string; else errors."""
    if items in (None, ""):
        return []
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise ValidationError(
            {"items": _("Give at most %(max)s items as a list.") % {"max": MAX_ITEMS}}
        )
    clean = []
    for number, item in enumerate(items, start=1):
        problem = _item_problem(item)
        if problem:
            raise ValidationError(
                {
                    "items": _("Item %(number)s: %(problem)s")
                    % {"number": number, "problem": problem}
                }
            )
        clean.append(
            {
                "sku": item.get("sku", "").strip(),
                "name": item["name"].strip(),
                "qty": item["qty"],
                "price": str(Decimal(str(item["price"])).quantize(Decimal("0.01"))),
            }
        )
    return clean


def _item_problem(item: Any) -> str:
    if not isinstance(item, dict) or not set(item) <= ITEM_KEYS:
        return _("expected sku, name, qty and price.")
    name, sku = item.get("name"), item.get("sku", "")
    if not isinstance(name, str) or not 0 < len(name.strip()) <= 200:
        return _("the name is text of 1–200 characters.")
    if not isinstance(sku, str) or len(sku) > 64:
        return _("the SKU is text of at most 64 characters.")
    qty = item.get("qty")
    if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= 1_000_000:
        return _("the quantity is a whole number from 1 to 1,000,000.")
    price = item.get("price")
    try:
        value = Decimal(str(price)) if not isinstance(price, bool) else None
    except ArithmeticError:
        value = None
    if (
        value is None
        or not value.is_finite()
        or value < 0
        or value != value.quantize(Decimal("0.01"))
        or value >= Decimal("1e12")
    ):
        return _("the price is an amount of at least 0 with at most 2 decimals.")
    return ""


def transaction_record(
    *,
    workspace: Workspace,
    member: Member,
    actor: User | None,
    kind: str,
    amount: Decimal | str | int,
    occurred_on: date,
    channel: str = "",
    items: list[dict[str, Any]] | None = None,
    external_ref: str = "",
    idempotency_key: str | None = None,
) -> Transaction:
    """Record a purchase or a return and update the member in the same database transaction.

    Under the member's row lock: total spend (+ purchase, − return, never below 0), last
    purchase date, purchases in the trailing 12 months, level (with a LevelChange row when it
    moves) and points (earned on purchases, clawed back on returns, up to the balance).
    `amount` is ≥ 0 with at most 2 decimals; `items` is a list of {sku, name, qty, price}.
    With an `idempotency_key` (unique per workspace) a repeat of the same transaction returns
    the first one; a different transaction under a used key raises IdempotencyConflict.
    Raises ValidationError for invalid input. Returns the transaction; `.member` is updated.
    """
    record, _created = transaction_record_once(
        workspace=workspace,
        member=member,
        actor=actor,
        kind=kind,
        amount=amount,
        occurred_on=occurred_on,
        channel=channel,
        items=items,
        external_ref=external_ref,
        idempotency_key=idempotency_key,
    )
    return record


@transaction.atomic
def transaction_record_once(
    *,
    workspace: Workspace,
    member: Member,
    actor: User | None,
    kind: str,
    amount: Decimal | str | int,
    occurred_on: date,
    channel: str = "",
    items: list[dict[str, Any]] | None = None,
    external_ref: str = "",
    idempotency_key: str | None = None,
) -> tuple[Transaction, bool]:
    """`transaction_record`, also telling whether the transaction is new (False: a replay)."""
    if member.workspace_id != workspace.pk:
        raise ValidationError({"member": _("Choose a member of this workspace.")})
    if isinstance(amount, float | bool):
        # floats carry binary noise (0.1 + 0.2); callers pass Decimal or text
        raise ValidationError({"amount": _("Enter the amount as a decimal number.")})
    record = Transaction(
        workspace=workspace,
        member=member,
        kind=kind,
        amount=amount,
        occurred_on=occurred_on,
        channel=(channel or "").strip(),
        items=items_normalised(items),
        external_ref=(external_ref or "").strip(),
        idempotency_key=(idempotency_key or "").strip() or None,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    # the key's uniqueness is decided below, after the lock
    record.full_clean(validate_unique=False, validate_constraints=False)
    if record.occurred_on > timezone.localdate() + FUTURE_SLACK:
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    locked = member_locked(member)
    if record.idempotency_key:
        earlier = _transaction_with_key(workspace, record.idempotency_key)
        if earlier is not None:
            return _replayed(earlier, record), False
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # the same key was committed by a concurrent request for another member
            return _replayed(
                _transaction_with_key(workspace, record.idempotency_key), record
            ), False
    else:
        record.save()
    _apply(locked, record)
    record.member = locked
    return record, True


def _transaction_with_key(workspace: Workspace, key: str) -> Transaction | None:
    return Transaction.objects.filter(workspace=workspace, idempotency_key=key).first()


SAME_BODY_FIELDS = (
    "member_id",
    "kind",
    "amount",
    "occurred_on",
    "channel",
    "items",
    "external_ref",
)


def _replayed(earlier: Transaction, attempt: Transaction) -> Transaction:
    if any(getattr(earlier, f) != getattr(attempt, f) for f in SAME_BODY_FIELDS):
        raise IdempotencyConflict(
            _(
                "This Idempotency-Key was already used for a different transaction; "
                "use a new key for a new transaction."
            ),
            code="idempotency_conflict",
        )
    return earlier


def _apply(member: Member, record: Transaction) -> None:
    """Move the locked member's totals, level and points by one new transaction."""
    settings = loyalty_settings_of(member.workspace)
    if record.kind == TransactionKind.PURCHASE:
        member.total_consumption += record.amount
    else:
        member.total_consumption = max(ZERO, member.total_consumption - record.amount)
    member.last_purchase_at, member.purchases_12m = purchase_stats(member)
    level_follow(member, settings, record)
    points = points_for(record.amount, settings.points_per_unit)
    if record.kind == TransactionKind.PURCHASE:
        ledger_add(
            member,
            kind=PointsKind.EARN,
            points=points,
            expires_on=add_months(record.occurred_on, settings.points_expiry_months),
            transaction_record=record,
        )
    else:
        ledger_add(
            member,
            kind=PointsKind.CLAWBACK,
            points=-min(points, member.points_balance),
            transaction_record=record,
        )
    member.save(update_fields=[*DERIVED_FIELDS, "updated_at"])


DERIVED_FIELDS = (
    "total_consumption",
    "last_purchase_at",
    "purchases_12m",
    "level",
    "points_balance",
)


def purchase_stats(member: Member, today: date | None = None) -> tuple[date | None, int]:
    """The last purchase date and the number of purchases in the trailing 12 months."""
    cutoff = add_months(today or timezone.localdate(), -12)
    stats = Transaction.objects.filter(member=member, kind=TransactionKind.PURCHASE).aggregate(
        last=Max("occurred_on"), recent=Count("id", filter=Q(occurred_on__gt=cutoff))
    )
    return stats["last"], stats["recent"]


def level_follow(
    member: Member, settings: LoyaltySettings, record: Transaction | None = None
) -> None:
    """Set the level from the total spend (MEM-2), writing a LevelChange when it moves."""
    level = settings.level_for(member.total_consumption)
    if level != member.level:
        LevelChange.objects.create(
            workspace_id=member.workspace_id,
            member=member,
            from_level=member.level,
            to_level=level,
            transaction=record,
        )
        member.level = level


def members_refresh_purchases_12m(*, today: date | None = None) -> int:
    """Recount purchases in the trailing 12 months as time passes (one UPDATE for all members)."""
    cutoff = add_months(today or timezone.localdate(), -12)
    recent = (
        Transaction.objects.filter(
            member=OuterRef("pk"), kind=TransactionKind.PURCHASE, occurred_on__gt=cutoff
        )
        .order_by()
        .values("member")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Member.objects.filter(purchases_12m__gt=0).update(
        purchases_12m=Coalesce(Subquery(recent), 0)
    )


def member_recompute(member: Member) -> None:
    """Rebuild a locked member's totals, level and balance from its transactions and ledger.

    Used after transactions move between members (merging contacts); spend is replayed in
    recording order so that returns floor at zero as they did when they were recorded.
    """
    total = ZERO
    for kind, amount in (
        Transaction.objects.filter(member=member).order_by("id").values_list("kind", "amount")
    ):
        total = total + amount if kind == TransactionKind.PURCHASE else max(ZERO, total - amount)
    member.total_consumption = total
    member.last_purchase_at, member.purchases_12m = purchase_stats(member)
    level_follow(member, loyalty_settings_of(member.workspace))
    member.points_balance = (
        PointsEntry.objects.filter(member=member).aggregate(total=Sum("points"))["total"] or 0
    )
    member.save(update_fields=[*DERIVED_FIELDS, "updated_at"])
