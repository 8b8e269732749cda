from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "guanxi.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from guanxi.search.indexes import text_indexes_ensure_after_migrate

        # SQLite rebuilds a table to alter it, which drops its triggers: put them back
        post_migrate.connect(text_indexes_ensure_after_migrate, sender=self)
