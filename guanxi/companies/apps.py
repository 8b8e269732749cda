from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "guanxi.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from guanxi.companies import permissions  # noqa: F401  (registers the policy)
