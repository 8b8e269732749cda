from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    MERGE = "merge", _("Merged")
    IMPORT = "import", _("Imported")


class AuditSource(models.TextChoices):
    UI = "ui", _("Web UI")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    JOB = "job", _("Background job")
    ADMIN = "admin", _("Admin site")
    SYSTEM = "system", _("System")
