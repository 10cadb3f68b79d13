"""On PostgreSQL: a GIN index on the words of open tickets only, for repeat candidates (learning/repeats.py).

The full index (tickets 0013) holds every ticket ever; open work is a few percent of it, so the repeat pool of open
tickets reads a much smaller index.
"""

from django.db import migrations

OPEN = "('received','dispatched','returned','in_progress','replied','awaiting_survey','rectifying')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS ticket_open_words ON tickets_ticket USING gin (search_vector) WHERE status IN {OPEN}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_open_words")


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_hotspot"), ("tickets", "0013_ticket_search")]
    operations = [migrations.RunPython(create, drop)]
