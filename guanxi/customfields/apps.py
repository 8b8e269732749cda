from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "guanxi.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")

    def ready(self) -> None:
        from guanxi.customfields import permissions  # noqa: F401  (registers the policies)
        from guanxi.customfields.panels import register_custom_field_panels

        register_custom_field_panels()
