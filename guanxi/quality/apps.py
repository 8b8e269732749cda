from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "guanxi.quality"
    label = "quality"
    verbose_name = _("Data quality")

    def ready(self) -> None:
        from guanxi.companies.models import Company, CompanyAlias
        from guanxi.contacts.models import Contact
        from guanxi.core.panels import register_panel
        from guanxi.quality import permissions  # noqa: F401  (registers the policies)
        from guanxi.quality.aliases import merge_company_aliases
        from guanxi.quality.merge import register_merge_handler
        from guanxi.quality.panels import QUALITY_PANEL

        register_panel(Contact, QUALITY_PANEL)
        register_panel(Company, QUALITY_PANEL)
        register_merge_handler(CompanyAlias, merge_company_aliases)
