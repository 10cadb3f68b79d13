"""The catalogue's tables that an intake reads (categories, routing rules and their co-handling departments,
deadline policies) change the reference stamp too (org/reference.py, org/0008)."""

from django.db import migrations

from org.reference import touch_triggers

TABLES = ["tickets_category", "tickets_routingrule", "tickets_routingrule_co_departments", "tickets_deadlinepolicy"]


class Migration(migrations.Migration):
    dependencies = [("tickets", "0026_dispatches_keep_who_handled"), ("org", "0008_reference_stamp")]

    operations = [migrations.RunPython(*touch_triggers(TABLES))]
