"""Opportunity.furthest_stage, filled from the stage history in two set-based UPDATEs."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery


def fill(apps, schema_editor):
    """The (not lost) stage of highest order each deal entered, else its current stage."""
    Opportunity = apps.get_model("opportunities", "Opportunity")
    StageHistory = apps.get_model("opportunities", "StageHistory")
    entered = (
        StageHistory.objects.filter(opportunity=OuterRef("pk"))
        .exclude(to_stage__kind="lost")
        .order_by("-to_stage__order", "-to_stage_id")
        .values("to_stage_id")[:1]
    )
    Opportunity.objects.update(furthest_stage=Subquery(entered))
    Opportunity.objects.exclude(stage__kind="lost").filter(
        Q(furthest_stage__isnull=True) | Q(stage__order__gt=F("furthest_stage__order"))
    ).update(furthest_stage=F("stage"))


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0004_partial_lead_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="opportunity",
            name="furthest_stage",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="opportunities.stage",
                verbose_name="furthest stage reached",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
