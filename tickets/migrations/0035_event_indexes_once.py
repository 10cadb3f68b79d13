"""The events, the largest table (several rows for every ticket), are indexed once by ticket and once by deadline:
event_ticket_time (ticket, at) and the partial unique one_event_per_deadline_verb (deadline, verb) serve every lookup
by their first column, so the foreign keys' own indexes are dropped (the deadline's held a NULL for most events). The
outbox's pattern (LIKE) index beside its unique key is dropped too: a key is only ever looked up whole. Three to four
events and an outbox row an intake: about eight index entries less to write. Only the indexes are dropped: Django's
AlterField would also drop and re-add each foreign key, checking every row while the tables are locked."""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = {
    "tickets_ticketevent_ticket_id_b572d14b": "tickets_ticketevent (ticket_id)",
    "tickets_ticketevent_deadline_id_dc9f7fe1": "tickets_ticketevent (deadline_id)",
}
OUTBOX_KEY_LIKE = "tickets_outbox_key_2ed400aa_like"  # PostgreSQL only


def forward(apps, schema_editor) -> None:
    for index in [*DROPPED, OUTBOX_KEY_LIKE]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


def backward(apps, schema_editor) -> None:
    for index, table_column in DROPPED.items():
        schema_editor.execute(f"CREATE INDEX {index} ON {table_column}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {OUTBOX_KEY_LIKE} ON tickets_outbox (key varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0034_owner_user_index_once"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticketevent",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="tickets.ticket",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticketevent",
                    name="deadline",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="tickets.deadline",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
