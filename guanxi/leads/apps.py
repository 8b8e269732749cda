from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "guanxi.leads"
    label = "leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        from guanxi.leads import permissions  # noqa: F401  (registers the policies)
        from guanxi.leads.assignable import register_lead_assignable

        register_lead_assignable()

        from guanxi.companies.models import Company
        from guanxi.contacts.models import Contact
        from guanxi.core.panels import register_panel
        from guanxi.leads.panels import LEAD_LINEAGE_PANEL

        register_panel(Contact, LEAD_LINEAGE_PANEL)
        register_panel(Company, LEAD_LINEAGE_PANEL)
