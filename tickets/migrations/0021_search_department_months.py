"""A department's words also carry the month its tickets were received, '§12@202611' beside '§12', so that a search
read in windows of time looks up the department's tickets of those months only (tickets/search/words.py): a large
department's word of all time holds a million tickets at 10 million, and ANDing it with a common word cost a tenth of
a second whatever the window (bench/search.py).

The back-fill runs in batches of tickets, each its own transaction (the migration is not atomic): a centre with 10
million tickets keeps working, and the new trigger already writes both words for every dispatch meanwhile."""

from django.db import migrations, transaction

FUNCTION = """
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
OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION ticket_search_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_ticket
     SET search_vector = coalesce(search_vector, ''::tsvector) || array_to_tsvector(ARRAY['§' || NEW.department_id])
   WHERE id = NEW.ticket_id;
  RETURN NULL;
END $$;
"""
BACKFILL = """
UPDATE tickets_ticket t
   SET search_vector = coalesce(t.search_vector, ''::tsvector) || array_to_tsvector(ARRAY(
         SELECT DISTINCT '§' || d.department_id || '@' || to_char(t.created_at AT TIME ZONE 'UTC', 'YYYYMM')
           FROM tickets_dispatch d WHERE d.ticket_id = t.id))
 WHERE t.id BETWEEN %s AND %s AND EXISTS (SELECT 1 FROM tickets_dispatch d WHERE d.ticket_id = t.id)
"""
BATCH = 50_000


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with transaction.atomic():
        schema_editor.execute(FUNCTION)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM tickets_ticket")
        low, high = cursor.fetchone()
        for first in range(low or 1, (high or 0) + 1, BATCH):
            with transaction.atomic():
                cursor.execute(BACKFILL, [first, first + BATCH - 1])


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION)  # the month words left in place are never asked for by the old code


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tickets", "0020_model_names_in_chinese"),
    ]

    operations = [migrations.RunPython(forward, backward)]
