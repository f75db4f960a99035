"""The data version counter and the shared cache table (Django's database cache backend).

The cache table is not a model: ``createcachetable`` makes it for every ``CACHES`` entry that uses
``django.core.cache.backends.db.DatabaseCache``. Running it from a migration means every database
made by ``migrate`` (the CLI, the test databases, a new server) has it without an extra step; the
command skips tables that exist.
"""

from typing import Any

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("figures", "0003_observation_fact_table_without_db_foreign_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("counter", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "dataversie", "verbose_name_plural": "dataversies"},
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
