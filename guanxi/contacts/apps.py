from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "guanxi.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from guanxi.contacts import permissions  # noqa: F401  (registers the policy)
        from guanxi.contacts.models import Contact
        from guanxi.contacts.panels import COLLEAGUES_PANEL
        from guanxi.core.panels import register_panel
        from guanxi.core.tag_views import tags_panel

        register_panel(Contact, tags_panel(resource="contacts", url_name="contacts:tags"))
        register_panel(Contact, COLLEAGUES_PANEL)
