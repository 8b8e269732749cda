from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "guanxi.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from guanxi.companies import permissions  # noqa: F401  (registers the policy)
        from guanxi.companies.models import Company
        from guanxi.core.panels import register_panel
        from guanxi.core.tag_views import tags_panel

        register_panel(Company, tags_panel(resource="companies", url_name="companies:tags"))
