"""The frozen monthly reports and the rollup cache now belong to supervision/ (its migration 0001): they leave the
reviews app's state only; their tables stay, with their rows, triggers and grants."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0011_backfill_rates_copies"),
        ("supervision", "0001_reports_from_reviews"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MonthlyReport"),
                migrations.DeleteModel(name="MonthlyRollup"),
            ],
            database_operations=[],
        ),
    ]
