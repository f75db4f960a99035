"""Triggers get the date of their status and a status history; more sources.

Stored rows get ``status_since`` = their own date and a history of one entry (the status they
have, on that date): the date they really changed is unknown. Three steps (add nullable, fill,
make required) so the migration runs the same on SQLite and PostgreSQL.
"""

from typing import Any

from django.db import migrations, models


def _fill_dates(apps: Any, schema_editor: Any) -> None:
    trigger = apps.get_model("voices_web", "Trigger")
    using = schema_editor.connection.alias
    for row in trigger.objects.using(using).filter(status_since__isnull=True).iterator():
        row.status_since = row.date
        row.history = [{"status": row.status, "date": row.date.isoformat()}]
        row.save(using=using, update_fields=["status_since", "history"])


class Migration(migrations.Migration):

    dependencies = [
        ("voices_web", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="trigger",
            name="source",
            field=models.CharField(choices=[("bewoners", "bewoners"), ("gemeente", "gemeente"), ("rijk", "rijk (landelijk doel)"), ("incident", "incident"), ("nieuws", "nieuws"), ("raadsvraag", "raadsvraag"), ("professionals", "professionals en partners"), ("overig", "anders")], max_length=20, verbose_name="bron"),
        ),
        migrations.AddField(
            model_name="trigger",
            name="history",
            field=models.JSONField(blank=True, default=list, verbose_name="statusgeschiedenis"),
        ),
        migrations.AddField(
            model_name="trigger",
            name="status_since",
            field=models.DateField(null=True, verbose_name="status sinds"),
        ),
        migrations.RunPython(_fill_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="trigger",
            name="status_since",
            field=models.DateField(verbose_name="status sinds"),
        ),
    ]
