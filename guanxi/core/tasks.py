"""Periodic upkeep jobs of the core app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanxi.core.database import planner_statistics_maintain


@db_periodic_task(crontab(hour="3", minute="17"))
def database_statistics_maintain() -> None:
    planner_statistics_maintain()
