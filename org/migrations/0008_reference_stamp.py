"""The reference stamp (org/reference.py): one row, changed by a trigger with every change to the organisation's
tables that an intake reads (departments, areas, the calendar). tickets/0027 adds the catalogue's tables."""

from django.db import migrations, models

from org.reference import touch_triggers

TABLES = ["org_department", "org_area", "org_calendaryear", "org_calendarday"]


class Migration(migrations.Migration):
    dependencies = [("org", "0007_model_names_in_chinese")]

    operations = [
        migrations.CreateModel(
            name="ReferenceStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField()),
            ],
            options={"verbose_name": "reference stamp", "verbose_name_plural": "reference stamps"},
        ),
        migrations.RunPython(*touch_triggers(TABLES, function=True)),
    ]
