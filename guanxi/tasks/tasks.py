"""Periodic jobs of the tasks app: thin and idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanxi.tasks.reminders import task_reminders_send


# every minute: a reminder is at most a minute late; a run with nothing due is one query
@db_periodic_task(crontab(minute="*"))
def task_reminders() -> int:
    return task_reminders_send()
