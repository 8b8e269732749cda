from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "guanxi.interactions"
    label = "interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        from guanxi.companies.models import Company
        from guanxi.contacts.models import Contact
        from guanxi.core.panels import Panel, register_panel
        from guanxi.core.timeline import register_timeline_source
        from guanxi.interactions import permissions  # noqa: F401  (registers the policy)
        from guanxi.interactions.panels import quick_log_panel, timeline_panel
        from guanxi.interactions.timeline import CHANGE_SOURCE, INTERACTION_SOURCE

        for model in (Contact, Company):
            register_panel(
                model,
                Panel(
                    "quick_log",
                    "interactions/panels/_quick_log.html",
                    quick_log_panel,
                    column="main",
                    order=20,
                    resource="interactions",
                ),
            )
            register_panel(
                model,
                Panel("timeline", "interactions/panels/_timeline.html", timeline_panel, order=30),
            )
            register_timeline_source(model, INTERACTION_SOURCE)
            register_timeline_source(model, CHANGE_SOURCE)
