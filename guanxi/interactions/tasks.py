"""Periodic jobs of the interactions app: thin, idempotent, calling reminders."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanxi.interactions.reminders import overdue_follow_ups_notify


# hourly, so that each workspace's midnight is caught soon whatever its time zone
@db_periodic_task(crontab(minute="7"))
def follow_ups_overdue_notify() -> int:
    return overdue_follow_ups_notify()
