"""Covering indexes for the sales reports; the funnel no longer reads the stage history."""

from django.db import migrations, models


def refresh_statistics(apps, schema_editor):
    """SQLite plans by per-index statistics: without them for the new indexes it preferred a
    full scan of a 200,000-row table (PostgreSQL keeps per-column statistics itself)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE opportunities_opportunity")


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0005_furthest_stage"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="stagehistory",
            name="stagehist_ws_stage_idx",
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["workspace", "pipeline", "created_at", "furthest_stage", "owner", "source"],
                name="opp_funnel_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=[
                    "workspace",
                    "status",
                    "stage",
                    "owner",
                    "amount",
                    "probability",
                    "pipeline",
                    "source",
                ],
                name="opp_value_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=[
                    "workspace",
                    "status",
                    "expected_close",
                    "owner",
                    "amount",
                    "probability",
                    "pipeline",
                    "source",
                ],
                name="opp_forecast_open_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=[
                    "workspace",
                    "status",
                    "closed_at",
                    "owner",
                    "amount",
                    "pipeline",
                    "source",
                ],
                name="opp_forecast_won_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=[
                    "workspace",
                    "created_at",
                    "owner",
                    "status",
                    "closed_at",
                    "pipeline",
                    "source",
                ],
                name="opp_efficiency_idx",
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
