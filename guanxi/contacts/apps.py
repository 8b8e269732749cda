from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "guanxi.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from guanxi.contacts import permissions  # noqa: F401  (registers the policy)
