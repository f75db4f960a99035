"""Indicator scope (issue 18): ``owner`` ("" for a national definition, else the GM code of the
municipality that defined it). Every stored indicator becomes national, as every one was
writable by every import before; owned ones are made from now on under a namespaced key
(``GM0518:eigen_score``), so the key is a plain unique ``CharField`` (a slug has no colon).
Both operations run on SQLite (table rebuild) and PostgreSQL (ALTER TABLE).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("figures", "0004_dataversion_shared_cache"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="owner",
            field=models.CharField(
                blank=True, default="", max_length=6,
                help_text="leeg: landelijke indicator; anders de gemeente (GM-code) die hem "
                          "definieerde",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="key",
            field=models.CharField(max_length=80, unique=True),
        ),
    ]
