from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "guanxi.analytics"
    label = "analytics"
    verbose_name = _("Sales analytics")

    def ready(self) -> None:
        from guanxi.analytics import permissions  # noqa: F401  (registers the policies)
