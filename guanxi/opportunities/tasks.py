"""Periodic jobs of the opportunities app: thin and idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanxi.opportunities.stagnation import stagnation_alerts_create


# hourly: a deal becomes stagnant at the hour it entered its stage
@db_periodic_task(crontab(minute="23"))
def stagnation_alerts() -> int:
    return stagnation_alerts_create()
