from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentConfig(AppConfig):
    name = "guanxi.assignment"
    label = "assignment"
    verbose_name = _("Assignment rules")

    def ready(self) -> None:
        from guanxi.assignment import permissions  # noqa: F401  (registers the policy)
