from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "guanxi.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self) -> None:
        from guanxi.companies.models import Company
        from guanxi.contacts.models import Contact
        from guanxi.core.panels import register_panel
        from guanxi.core.timeline import register_timeline_source
        from guanxi.opportunities import permissions  # noqa: F401  (registers the policies)
        from guanxi.opportunities.panels import OPPORTUNITIES_PANEL
        from guanxi.opportunities.timeline import DEAL_SOURCE

        for model in (Contact, Company):
            register_panel(model, OPPORTUNITIES_PANEL)
            register_timeline_source(model, DEAL_SOURCE)
