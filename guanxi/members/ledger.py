"""The points ledger (MEM-3): earn, redeem, adjust, claw back and expire points.

Invariant: member.points_balance == Σ entry.points == Σ lot.remaining. Every write here runs
under the member's row lock (`member_locked`), so concurrent writes cannot break it.
Negative entries consume the positive lots first-in-first-out (soonest expiry first).
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.errors import ApplicationError
from guanxi.members.choices import MemberStatus, PointsKind
from guanxi.members.models import Member, PointsEntry, Transaction
from guanxi.users.models import User

MAX_POINTS_PER_ENTRY = 100_000_000
EXPIRY_BATCH = 500


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def points_for(amount: Decimal, rate: Decimal) -> int:
    """Whole points for an amount: 1.00 × rate per currency unit, rounded down."""
    return int((amount * rate).to_integral_value(rounding=ROUND_FLOOR))


def member_locked(member: Member) -> Member:
    """The member's row, re-read and locked until the surrounding transaction ends."""
    return Member.objects.select_for_update().get(pk=member.pk)


def ledger_add(
    member: Member,
    *,
    kind: str,
    points: int,
    expires_on: date | None = None,
    transaction_record: Transaction | None = None,
    note: str = "",
) -> PointsEntry | None:
    """Append an entry to a locked member's ledger and move the balance (the caller saves)."""
    if points == 0:
        return None
    if points < 0:
        consume_lots(member, -points)
    entry = PointsEntry.objects.create(
        workspace_id=member.workspace_id,
        member=member,
        kind=kind,
        points=points,
        remaining=max(points, 0),
        expires_on=expires_on if points > 0 else None,
        transaction=transaction_record,
        note=note[:200],
    )
    member.points_balance += points
    return entry


def consume_lots(member: Member, points: int) -> None:
    """Take `points` from the member's unspent lots, soonest expiry first, then oldest."""
    lots = list(
        PointsEntry.objects.filter(member=member, remaining__gt=0).order_by(
            F("expires_on").asc(nulls_last=True), "id"
        )
    )
    if sum(lot.remaining for lot in lots) < points:
        raise ApplicationError(
            _("The member has only %(balance)s points.") % {"balance": member.points_balance},
            code="insufficient_points",
            field="points",
        )
    touched = []
    for lot in lots:
        if points == 0:
            break
        taken = min(lot.remaining, points)
        lot.remaining -= taken
        points -= taken
        touched.append(lot)
    PointsEntry.objects.bulk_update(touched, ["remaining"])


def check_points(points: object) -> int:
    if isinstance(points, bool) or not isinstance(points, int):
        raise ApplicationError(_("Enter a whole number of points."), field="points")
    if not 0 < abs(points) <= MAX_POINTS_PER_ENTRY:
        raise ApplicationError(
            _("Enter between 1 and %(max)s points.") % {"max": MAX_POINTS_PER_ENTRY},
            field="points",
        )
    return points


@transaction.atomic
def points_redeem(
    *, member: Member, actor: User | None, points: int, note: str = ""
) -> PointsEntry:
    """Spend points; refused when the member has fewer points or is frozen."""
    points = check_points(points)
    if points < 0:
        raise ApplicationError(
            _("Enter the points to redeem as a positive number."), field="points"
        )
    locked = member_locked(member)
    if locked.status == MemberStatus.FROZEN:
        raise ApplicationError(_("This membership is frozen: points cannot be redeemed."))
    if points > locked.points_balance:
        raise ApplicationError(
            _("Only %(balance)s points can be redeemed.") % {"balance": locked.points_balance},
            code="insufficient_points",
            field="points",
        )
    entry = ledger_add(locked, kind=PointsKind.REDEEM, points=-points, note=note)
    locked.save(update_fields=["points_balance", "updated_at"])
    return entry


@transaction.atomic
def points_adjust(*, member: Member, actor: User | None, points: int, note: str) -> PointsEntry:
    """Add (positive) or take (negative) points by hand, with a reason; never below zero."""
    points = check_points(points)
    if not note.strip():
        raise ApplicationError(_("Say why the points are adjusted."), field="note")
    locked = member_locked(member)
    if points < 0 and -points > locked.points_balance:
        raise ApplicationError(
            _("Only %(balance)s points can be taken.") % {"balance": locked.points_balance},
            code="insufficient_points",
            field="points",
        )
    entry = ledger_add(locked, kind=PointsKind.ADJUST, points=points, note=note)
    locked.save(update_fields=["points_balance", "updated_at"])
    return entry


def points_expire_due(*, today: date | None = None) -> int:
    """Expire the unspent part of every lot whose expiry date has come; returns the points taken.

    Idempotent: an expired lot has nothing left, so a second run (the same day or a retry
    after a crash) finds nothing. One database transaction per member.
    """
    today = today or timezone.localdate()
    expired = 0
    while True:
        member_ids = list(
            PointsEntry.objects.filter(remaining__gt=0, expires_on__lte=today)
            .values_list("member_id", flat=True)
            .distinct()[:EXPIRY_BATCH]
        )
        if not member_ids:
            return expired
        for member_id in member_ids:
            expired += _expire_member(member_id, today)


@transaction.atomic
def _expire_member(member_id: object, today: date) -> int:
    locked = Member.objects.select_for_update().filter(pk=member_id).first()
    if locked is None:
        return 0
    due = PointsEntry.objects.filter(member=locked, remaining__gt=0, expires_on__lte=today)
    total = due.aggregate(total=Sum("remaining"))["total"] or 0
    if total == 0:
        return 0
    due.update(remaining=0)
    PointsEntry.objects.create(
        workspace_id=locked.workspace_id,
        member=locked,
        kind=PointsKind.EXPIRE,
        points=-total,
        note=_("Points earned until %(date)s expired.") % {"date": today.isoformat()},
    )
    locked.points_balance -= total
    locked.save(update_fields=["points_balance", "updated_at"])
    return total
