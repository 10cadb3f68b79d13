"""A ticket's owning person is indexed once: ticket_owner_user, partial to the tickets someone holds, serves every
lookup by person (a lookup of a value implies it is not NULL); the foreign key's own index of every ticket, NULL for
nearly all, is dropped. One index entry less for each ticket row version written (an intake, every transition). Only
the index is dropped: Django's AlterField would also drop and re-add the foreign key, checking every ticket."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEX = "tickets_ticket_owner_user_id_ced9b7aa"


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0033_caller_equality_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="owner_user",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON tickets_ticket (owner_user_id)",
                ),
            ],
        ),
    ]
