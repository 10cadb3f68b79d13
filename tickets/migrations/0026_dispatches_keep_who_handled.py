"""A dispatch keeps its ticket and its department for good, and is never deleted: a department's search counts its
scope through the words its dispatches gave the ticket (§12, §12@202611; tickets/selectors.py), so a dispatch moved
or deleted would leave a department counting tickets it may not open. Other columns (signed, replied, active) change
as the work goes on."""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION tickets_dispatch_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'tickets_dispatch keeps who handled a ticket: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tickets_dispatch_not_deleted BEFORE DELETE ON tickets_dispatch
    FOR EACH ROW EXECUTE FUNCTION tickets_dispatch_kept();
CREATE TRIGGER tickets_dispatch_not_moved BEFORE UPDATE ON tickets_dispatch FOR EACH ROW
    WHEN (OLD.ticket_id IS DISTINCT FROM NEW.ticket_id OR OLD.department_id IS DISTINCT FROM NEW.department_id)
    EXECUTE FUNCTION tickets_dispatch_kept();
"""
PG_BACK = """
DROP TRIGGER IF EXISTS tickets_dispatch_not_deleted ON tickets_dispatch;
DROP TRIGGER IF EXISTS tickets_dispatch_not_moved ON tickets_dispatch;
DROP FUNCTION IF EXISTS tickets_dispatch_kept();
"""
SQLITE = [
    "CREATE TRIGGER tickets_dispatch_not_deleted BEFORE DELETE ON tickets_dispatch"
    " BEGIN SELECT RAISE(ABORT, 'tickets_dispatch keeps who handled a ticket: DELETE refused'); END",
    "CREATE TRIGGER tickets_dispatch_not_moved BEFORE UPDATE ON tickets_dispatch"
    " WHEN OLD.ticket_id IS NOT NEW.ticket_id OR OLD.department_id IS NOT NEW.department_id"
    " BEGIN SELECT RAISE(ABORT, 'tickets_dispatch keeps who handled a ticket: UPDATE refused'); END",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS tickets_dispatch_not_deleted",
    "DROP TRIGGER IF EXISTS tickets_dispatch_not_moved",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACK)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACK:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0025_owner_queue_in_page_order")]

    operations = [migrations.RunPython(forward, backward)]
