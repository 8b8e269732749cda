from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "guanxi.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")
