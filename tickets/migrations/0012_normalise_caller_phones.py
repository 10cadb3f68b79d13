"""Existing callers' and evaluators' numbers in their one stored writing (hotline/phones.py).

A stored value that is no valid number is kept as it was: history is not refused after the fact.
"""

from django.db import migrations

BATCH = 2000


def _normalise(model, field: str) -> None:
    from hotline.phones import phone_key

    rows = model.objects.exclude(**{field: ""}).values_list("pk", field).order_by("pk")
    changed = []
    for pk, phone in rows.iterator(chunk_size=BATCH):
        written = phone_key(phone)
        if written and written != phone:
            changed.append(model(pk=pk, **{field: written}))
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, [field])
            changed = []
    model.objects.bulk_update(changed, [field])


def forwards(apps, schema_editor) -> None:
    _normalise(apps.get_model("tickets", "Caller"), "phone")
    _normalise(apps.get_model("reviews", "SurveyRound"), "evaluator_phone")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0011_submission_attachments"),
        ("reviews", "0004_monthly_rollup"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
