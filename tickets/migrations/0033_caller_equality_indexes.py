"""A caller is found by the whole name or phone (the search box, the console's lookup), never by a pattern: the
pattern (LIKE) indexes that db_index=True adds beside each on PostgreSQL are dropped, two index entries less for each
intake. The equality indexes stay as they are, named as before, now declared in the model's Meta."""

from django.db import migrations, models

LIKE = {"name": "tickets_caller_name_2a32c0ef_like", "phone": "tickets_caller_phone_d055a4af_like"}


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for index in LIKE.values():
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for column, index in LIKE.items():
            schema_editor.execute(f"CREATE INDEX {index} ON tickets_caller ({column} varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0032_deadline_ticket_index_once"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="caller", name="name", field=models.CharField(blank=True, max_length=100, verbose_name="name")
                ),
                migrations.AlterField(
                    model_name="caller", name="phone", field=models.CharField(blank=True, max_length=20, verbose_name="phone")
                ),
                migrations.AddIndex(
                    model_name="caller", index=models.Index(fields=["name"], name="tickets_caller_name_2a32c0ef")
                ),
                migrations.AddIndex(
                    model_name="caller", index=models.Index(fields=["phone"], name="tickets_caller_phone_d055a4af")
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
