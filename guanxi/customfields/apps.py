from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "guanxi.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from guanxi.customfields import permissions  # noqa: F401  (registers the policies)
        from guanxi.customfields.models import CustomFieldDefinition
        from guanxi.customfields.panels import register_custom_field_panels
        from guanxi.customfields.values import definitions_changed

        register_custom_field_panels()
        for signal in (post_save, post_delete):
            signal.connect(definitions_changed, sender=CustomFieldDefinition)
