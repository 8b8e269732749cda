from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "guanxi.tasks"
    label = "tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from guanxi.companies.models import Company
        from guanxi.contacts.models import Contact
        from guanxi.core.panels import Panel, register_panel
        from guanxi.core.timeline import register_timeline_source
        from guanxi.leads.models import Lead
        from guanxi.opportunities.models import Opportunity
        from guanxi.tasks import (
            assignment,
            permissions,  # noqa: F401  (registers the policy)
        )
        from guanxi.tasks.panels import quick_task_panel
        from guanxi.tasks.timeline import TASK_SOURCE

        assignment.register()
        for model in (Contact, Company, Lead, Opportunity):
            register_panel(
                model,
                Panel(
                    "tasks",
                    "tasks/panels/_tasks.html",
                    quick_task_panel,
                    column="side",
                    order=20,
                    resource="tasks",
                ),
            )
        for model in (Contact, Company):
            register_timeline_source(model, TASK_SOURCE)
