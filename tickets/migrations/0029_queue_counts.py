"""Tickets counted by queue and owner (tickets/queue_counts.py): the tables, the triggers on tickets_ticket that
write a count change in the transaction that changes a ticket's owner columns, and the queues as they stand counted
once as changes for the first compaction to fold in."""

from django.db import migrations, models

# The owner columns' key: the queue, the department (0 for none) and the user (0 for none).
PG_FORWARD = """
CREATE FUNCTION queue_counts_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tickets_queuecountdelta (queue, unit, person, delta)
    SELECT owner_queue, coalesce(owner_department_id, 0), coalesce(owner_user_id, 0), count(*)
      FROM new_rows WHERE owner_queue <> '' GROUP BY 1, 2, 3;
  ELSE
    INSERT INTO tickets_queuecountdelta (queue, unit, person, delta)
    SELECT owner_queue, coalesce(owner_department_id, 0), coalesce(owner_user_id, 0), -count(*)
      FROM old_rows WHERE owner_queue <> '' GROUP BY 1, 2, 3;
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION queue_counts_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.owner_queue <> '' THEN
    INSERT INTO tickets_queuecountdelta (queue, unit, person, delta)
    VALUES (OLD.owner_queue, coalesce(OLD.owner_department_id, 0), coalesce(OLD.owner_user_id, 0), -1);
  END IF;
  IF NEW.owner_queue <> '' THEN
    INSERT INTO tickets_queuecountdelta (queue, unit, person, delta)
    VALUES (NEW.owner_queue, coalesce(NEW.owner_department_id, 0), coalesce(NEW.owner_user_id, 0), 1);
  END IF;
  RETURN NULL;
END $$;
-- Bulk inserts and deletes (a generator's load, a test's cleanup) write one row per owner.
CREATE TRIGGER queue_counts_insert AFTER INSERT ON tickets_ticket
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_statement();
CREATE TRIGGER queue_counts_delete AFTER DELETE ON tickets_ticket
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_statement();
-- A change of owner; a save that writes the same owner back fires nothing.
CREATE TRIGGER queue_counts_update AFTER UPDATE OF owner_queue, owner_department_id, owner_user_id ON tickets_ticket
  FOR EACH ROW WHEN ((OLD.owner_queue, OLD.owner_department_id, OLD.owner_user_id)
        IS DISTINCT FROM (NEW.owner_queue, NEW.owner_department_id, NEW.owner_user_id))
  EXECUTE FUNCTION queue_counts_row();
CREATE TRIGGER tickets_queuecountdelta_append_only BEFORE UPDATE ON tickets_queuecountdelta
  FOR EACH ROW EXECUTE FUNCTION hotline_append_only();
CREATE TRIGGER tickets_queuecountdelta_compacting_only BEFORE DELETE ON tickets_queuecountdelta
  FOR EACH STATEMENT EXECUTE FUNCTION deadline_counts_compacting_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS queue_counts_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS queue_counts_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS queue_counts_update ON tickets_ticket;
DROP FUNCTION IF EXISTS queue_counts_statement();
DROP FUNCTION IF EXISTS queue_counts_row();
"""
SQLITE_DELTA = (
    "INSERT INTO tickets_queuecountdelta (queue, unit, person, delta) SELECT {r}.owner_queue,"
    " coalesce({r}.owner_department_id, 0), coalesce({r}.owner_user_id, 0), {d} WHERE {r}.owner_queue <> '';"
)
SQLITE_FORWARD = [
    "CREATE TRIGGER queue_counts_insert AFTER INSERT ON tickets_ticket BEGIN "
    + SQLITE_DELTA.format(r="NEW", d=1)
    + " END",
    "CREATE TRIGGER queue_counts_delete AFTER DELETE ON tickets_ticket BEGIN "
    + SQLITE_DELTA.format(r="OLD", d=-1)
    + " END",
    "CREATE TRIGGER queue_counts_update AFTER UPDATE OF owner_queue, owner_department_id, owner_user_id"
    " ON tickets_ticket WHEN OLD.owner_queue IS NOT NEW.owner_queue"
    " OR OLD.owner_department_id IS NOT NEW.owner_department_id OR OLD.owner_user_id IS NOT NEW.owner_user_id BEGIN "
    + SQLITE_DELTA.format(r="OLD", d=-1)
    + " "
    + SQLITE_DELTA.format(r="NEW", d=1)
    + " END",
    "CREATE TRIGGER tickets_queuecountdelta_no_update BEFORE UPDATE ON tickets_queuecountdelta"
    " BEGIN SELECT RAISE(ABORT, 'append-only table tickets_queuecountdelta: UPDATE refused'); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS queue_counts_insert",
    "DROP TRIGGER IF EXISTS queue_counts_delete",
    "DROP TRIGGER IF EXISTS queue_counts_update",
    "DROP TRIGGER IF EXISTS tickets_queuecountdelta_no_update",
]
# The queues as they stand when the triggers start, counted once; the triggers' lock on tickets_ticket (PostgreSQL)
# or the migration's write transaction (SQLite) keeps any owner from changing in between.
BACKFILL = """
INSERT INTO tickets_queuecountdelta (queue, unit, person, delta)
SELECT owner_queue, coalesce(owner_department_id, 0), coalesce(owner_user_id, 0), count(*)
  FROM tickets_ticket WHERE owner_queue <> '' GROUP BY 1, 2, 3
"""


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)
    else:
        return
    schema_editor.execute(BACKFILL, params=None)


def backward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0028_policy_kind_choices"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueCountDelta",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("queue", models.CharField(max_length=20, verbose_name="queue")),
                ("unit", models.BigIntegerField(verbose_name="department id")),
                ("person", models.BigIntegerField(verbose_name="user id")),
                ("delta", models.IntegerField(verbose_name="change")),
            ],
            options={
                "verbose_name": "queue count change",
                "verbose_name_plural": "queue count changes",
            },
        ),
        migrations.CreateModel(
            name="QueueCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("queue", models.CharField(max_length=20, verbose_name="queue")),
                ("unit", models.BigIntegerField(verbose_name="department id")),
                ("person", models.BigIntegerField(verbose_name="user id")),
                ("tickets", models.IntegerField(verbose_name="tickets")),
            ],
            options={
                "verbose_name": "queue count",
                "verbose_name_plural": "queue counts",
                "constraints": [
                    models.UniqueConstraint(fields=("queue", "unit", "person"), name="one_count_per_queue")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
