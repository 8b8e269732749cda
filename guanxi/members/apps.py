from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "guanxi.members"
    label = "members"
    verbose_name = _("Members and loyalty")

    def ready(self) -> None:
        from guanxi.members import panels, permissions  # noqa: F401  (register themselves)
        from guanxi.members.merge import register as register_merge

        register_merge()
