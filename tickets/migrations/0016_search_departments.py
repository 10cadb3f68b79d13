"""The departments that ever handled a ticket become words of its search vector ('§12'), so that a department's word
search is one GIN lookup of the word AND its units (bench/search.py) instead of a dispatch check per matching row."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION ticket_search_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_ticket
     SET search_vector = coalesce(search_vector, ''::tsvector) || array_to_tsvector(ARRAY['§' || NEW.department_id])
   WHERE id = NEW.ticket_id;
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_search_department AFTER INSERT ON tickets_dispatch
  FOR EACH ROW EXECUTE FUNCTION ticket_search_department();
UPDATE tickets_ticket t
   SET search_vector = coalesce(t.search_vector, ''::tsvector) || d.units
  FROM (SELECT ticket_id, array_to_tsvector(array_agg(DISTINCT '§' || department_id)) AS units
          FROM tickets_dispatch GROUP BY ticket_id) d
 WHERE d.ticket_id = t.id;
"""
BACKWARD = """
DROP TRIGGER IF EXISTS ticket_search_department ON tickets_dispatch;
DROP FUNCTION IF EXISTS ticket_search_department();
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0015_merge_20261201_0904"),
    ]

    operations = [migrations.RunPython(forward, backward)]
