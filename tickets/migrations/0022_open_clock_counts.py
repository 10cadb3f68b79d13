"""Open clocks counted by department, kind and day (tickets/clock_counts.py): the tables, the triggers on
tickets_deadline that write a count change in the transaction that changes a clock, and the clocks open today counted
once as changes for the first compaction to fold in."""

from django.db import migrations, models

# The triggers that keep tickets_deadlinecountdelta (tickets/clock_counts.py) up to date in the transaction that
# changes a clock. Days are Beijing dates, taken at a fixed +8 hours on both backends (tickets.clock_counts.day_of).
PG_FORWARD = """
CREATE OR REPLACE FUNCTION hotline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION deadline_counts_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tickets_deadlinecountdelta (unit, kind, due_day, warn_day, delta)
    SELECT coalesce(department_id, 0), kind, ((due_at AT TIME ZONE 'UTC') + interval '8 hours')::date,
           ((warn_at AT TIME ZONE 'UTC') + interval '8 hours')::date, count(*)
      FROM new_rows WHERE state = 'open' GROUP BY 1, 2, 3, 4;
  ELSE
    INSERT INTO tickets_deadlinecountdelta (unit, kind, due_day, warn_day, delta)
    SELECT coalesce(department_id, 0), kind, ((due_at AT TIME ZONE 'UTC') + interval '8 hours')::date,
           ((warn_at AT TIME ZONE 'UTC') + interval '8 hours')::date, -count(*)
      FROM old_rows WHERE state = 'open' GROUP BY 1, 2, 3, 4;
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION deadline_counts_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'open' THEN
    INSERT INTO tickets_deadlinecountdelta (unit, kind, due_day, warn_day, delta)
    VALUES (coalesce(OLD.department_id, 0), OLD.kind, ((OLD.due_at AT TIME ZONE 'UTC') + interval '8 hours')::date,
            ((OLD.warn_at AT TIME ZONE 'UTC') + interval '8 hours')::date, -1);
  END IF;
  IF NEW.state = 'open' THEN
    INSERT INTO tickets_deadlinecountdelta (unit, kind, due_day, warn_day, delta)
    VALUES (coalesce(NEW.department_id, 0), NEW.kind, ((NEW.due_at AT TIME ZONE 'UTC') + interval '8 hours')::date,
            ((NEW.warn_at AT TIME ZONE 'UTC') + interval '8 hours')::date, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION deadline_counts_compacting_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('hotline.compacting', true), '') <> 'on' THEN
    RAISE EXCEPTION 'append-only table %: % refused outside the compaction', TG_TABLE_NAME, TG_OP;
  END IF;
  RETURN NULL;
END $$;
-- Bulk inserts and deletes (a ticket deleted with its clocks, a generator's load) write one row per cell.
CREATE TRIGGER deadline_counts_insert AFTER INSERT ON tickets_deadline
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deadline_counts_statement();
CREATE TRIGGER deadline_counts_delete AFTER DELETE ON tickets_deadline
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION deadline_counts_statement();
-- A change of state, kind, department or times of a clock that is or was open; the sweep's warned_at and
-- breached_at marks change none of these and fire nothing.
CREATE TRIGGER deadline_counts_update AFTER UPDATE OF state, kind, department_id, due_at, warn_at ON tickets_deadline
  FOR EACH ROW WHEN ((OLD.state = 'open' OR NEW.state = 'open')
    AND (OLD.state, OLD.kind, OLD.department_id, OLD.due_at, OLD.warn_at)
        IS DISTINCT FROM (NEW.state, NEW.kind, NEW.department_id, NEW.due_at, NEW.warn_at))
  EXECUTE FUNCTION deadline_counts_row();
CREATE TRIGGER tickets_deadlinecountdelta_append_only BEFORE UPDATE ON tickets_deadlinecountdelta
  FOR EACH ROW EXECUTE FUNCTION hotline_append_only();
CREATE TRIGGER tickets_deadlinecountdelta_compacting_only BEFORE DELETE ON tickets_deadlinecountdelta
  FOR EACH STATEMENT EXECUTE FUNCTION deadline_counts_compacting_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS deadline_counts_insert ON tickets_deadline;
DROP TRIGGER IF EXISTS deadline_counts_delete ON tickets_deadline;
DROP TRIGGER IF EXISTS deadline_counts_update ON tickets_deadline;
DROP FUNCTION IF EXISTS deadline_counts_statement();
DROP FUNCTION IF EXISTS deadline_counts_row();
DROP TRIGGER IF EXISTS tickets_deadlinecountdelta_compacting_only ON tickets_deadlinecountdelta;
DROP FUNCTION IF EXISTS deadline_counts_compacting_only();
"""
SQLITE_DELTA = (
    "INSERT INTO tickets_deadlinecountdelta (unit, kind, due_day, warn_day, delta) SELECT"
    " coalesce({r}.department_id, 0), {r}.kind, date({r}.due_at, '+8 hours'), date({r}.warn_at, '+8 hours'), {d}"
    " WHERE {r}.state = 'open';"
)
SQLITE_FORWARD = [
    "CREATE TRIGGER deadline_counts_insert AFTER INSERT ON tickets_deadline BEGIN "
    + SQLITE_DELTA.format(r="NEW", d=1)
    + " END",
    "CREATE TRIGGER deadline_counts_delete AFTER DELETE ON tickets_deadline BEGIN "
    + SQLITE_DELTA.format(r="OLD", d=-1)
    + " END",
    "CREATE TRIGGER deadline_counts_update AFTER UPDATE OF state, kind, department_id, due_at, warn_at"
    " ON tickets_deadline WHEN (OLD.state = 'open' OR NEW.state = 'open') AND (OLD.state IS NOT NEW.state"
    " OR OLD.kind IS NOT NEW.kind OR OLD.department_id IS NOT NEW.department_id OR OLD.due_at IS NOT NEW.due_at"
    " OR OLD.warn_at IS NOT NEW.warn_at) BEGIN "
    + SQLITE_DELTA.format(r="OLD", d=-1)
    + " "
    + SQLITE_DELTA.format(r="NEW", d=1)
    + " END",
    "CREATE TRIGGER tickets_deadlinecountdelta_no_update BEFORE UPDATE ON tickets_deadlinecountdelta"
    " BEGIN SELECT RAISE(ABORT, 'append-only table tickets_deadlinecountdelta: UPDATE refused'); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS deadline_counts_insert",
    "DROP TRIGGER IF EXISTS deadline_counts_delete",
    "DROP TRIGGER IF EXISTS deadline_counts_update",
    "DROP TRIGGER IF EXISTS tickets_deadlinecountdelta_no_update",
]
# The clocks open when the triggers start, counted once; the triggers' lock on tickets_deadline (PostgreSQL) or the
# migration's write transaction (SQLite) keeps any clock from changing in between.
BACKFILL = """
INSERT INTO tickets_deadlinecountdelta (unit, kind, due_day, warn_day, delta)
SELECT coalesce(department_id, 0), kind, {due}, {warn}, count(*)
  FROM tickets_deadline WHERE state = 'open' GROUP BY 1, 2, 3, 4
"""


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
        day = "((%s AT TIME ZONE 'UTC') + interval '8 hours')::date"
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)
        day = "date(%s, '+8 hours')"
    else:
        return
    schema_editor.execute(BACKFILL.format(due=day % "due_at", warn=day % "warn_at"), params=None)


def backward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_model_names_in_chinese"),
        ("tickets", "0021_search_department_months"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeadlineCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unit", models.BigIntegerField(verbose_name="department id")),
                ("kind", models.CharField(max_length=20, verbose_name="clock")),
                (
                    "axis",
                    models.CharField(choices=[("due", "Due"), ("warn", "Warning")], max_length=4, verbose_name="axis"),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("clocks", models.IntegerField(verbose_name="open clocks")),
                ("merged", models.BooleanField(default=False, verbose_name="includes earlier days")),
            ],
            options={
                "verbose_name": "open clock count",
                "verbose_name_plural": "open clock counts",
            },
        ),
        migrations.CreateModel(
            name="DeadlineCountDelta",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unit", models.BigIntegerField(verbose_name="department id")),
                ("kind", models.CharField(max_length=20, verbose_name="clock")),
                ("due_day", models.DateField(verbose_name="due day")),
                ("warn_day", models.DateField(verbose_name="warning day")),
                ("delta", models.IntegerField(verbose_name="change")),
            ],
            options={
                "verbose_name": "open clock count change",
                "verbose_name_plural": "open clock count changes",
            },
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("state", "open"), ("warn_at__gt", models.F("due_at"))),
                fields=["due_at"],
                include=("warn_at", "kind", "department"),
                name="deadline_open_warns_late",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadlinecount",
            constraint=models.UniqueConstraint(fields=("unit", "kind", "axis", "day"), name="one_count_per_cell"),
        ),
        migrations.RunPython(forward, backward),
    ]
