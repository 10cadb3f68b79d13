"""The dispatches' trigger adds a department's words to its ticket only when the ticket lacks them.

The complete intake inserts the ticket with its departments' words already in its ``search_vector`` (they are known
before the row is written: tickets/services/intake.py), so the trigger of its dispatches, which run in the same
statement string, finds them there and writes no second version of the ticket's row: that UPDATE had re-inserted the
row's entries in each of the ticket's indexes, two GIN indexes of its words among them, for every intake. A ticket
dispatched again to a department that already handled it no longer gets a new row version for nothing either."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ticket_search_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_ticket
     SET search_vector = coalesce(search_vector, ''::tsvector) || array_to_tsvector(ARRAY[
           '§' || NEW.department_id,
           '§' || NEW.department_id || '@' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMM')])
   WHERE id = NEW.ticket_id
     AND NOT coalesce(tsvector_to_array(search_vector) @> ARRAY[
           '§' || NEW.department_id,
           '§' || NEW.department_id || '@' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMM')], false);
  RETURN NULL;
END $$;
"""
OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION ticket_search_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_ticket
     SET search_vector = coalesce(search_vector, ''::tsvector) || array_to_tsvector(ARRAY[
           '§' || NEW.department_id,
           '§' || NEW.department_id || '@' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMM')])
   WHERE id = NEW.ticket_id;
  RETURN NULL;
END $$;
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0030_unread_badge_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
