"""Every queue's first page in the index's order: the owner index ends with the id (the page's last sort key), and
PostgreSQL keeps statistics of the department and queue together (an open ticket has both, a finished one neither),
so that it knows a large department's queue is large and reads its first 50 entries in order instead of sorting the
whole queue (bench/workbench_queue.py --generator)."""

from django.conf import settings
from django.db import migrations, models

STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS ticket_owner_queue_together (dependencies, mcv)"
    " ON owner_department_id, owner_queue FROM tickets_ticket"
)


def statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS)
        schema_editor.execute("ANALYZE tickets_ticket")


def no_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS ticket_owner_queue_together")


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0002_publication'),
        ('org', '0007_model_names_in_chinese'),
        ('tickets', '0024_notice_newest_first'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_owner_queue',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('owner_queue', ''), _negated=True), fields=['owner_department', 'owner_queue', 'owner_due_at', 'owner_since', 'id'], name='ticket_owner_queue'),
        ),
        migrations.RunPython(statistics, no_statistics),
    ]
