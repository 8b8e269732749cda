"""Daily upkeep of the loyalty programme: expire unspent points, recount recent purchases."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanxi.audit.choices import AuditSource
from guanxi.audit.context import audit_context
from guanxi.members.ledger import points_expire_due
from guanxi.members.services import members_refresh_purchases_12m


@db_periodic_task(crontab(hour="2", minute="41"))
def loyalty_daily_upkeep() -> None:
    """Idempotent: a second run on the same day changes nothing."""
    with audit_context(source=AuditSource.JOB):
        points_expire_due()
        members_refresh_purchases_12m()
