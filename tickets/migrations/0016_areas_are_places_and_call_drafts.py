"""Places are places: a ticket's area and a routing rule's area point at the area tree (org.Area), no longer at a
department. The place-like departments (districts, towns and streets, communities) become areas with the same tree
shape and their names without 人民政府, and every ticket and rule moves to the area made from its department; an area
that was not a place (a city bureau picked as an area) is dropped from tickets, and a rule on such an area is removed.
Also the call drafts of the operator console."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

PLACE_KINDS = {"district": "district", "town": "town", "community": "community"}
STEP = 4  # treebeard's default steplen


def _areas_from_departments(apps, schema_editor):
    Department = apps.get_model("org", "Department")
    Area = apps.get_model("org", "Area")
    Ticket = apps.get_model("tickets", "Ticket")
    RoutingRule = apps.get_model("tickets", "RoutingRule")
    used = set(Ticket.objects.exclude(old_area=None).values_list("old_area_id", flat=True))
    used |= set(RoutingRule.objects.exclude(old_area=None).values_list("old_area_id", flat=True))
    if not used:
        return
    places = [d for d in Department.objects.order_by("path") if d.kind in PLACE_KINDS]
    made: dict[str, object] = {}  # department path → area
    mapping: dict[int, int] = {}
    children: dict[str, int] = {}  # area path → how many children so far ("" for roots)
    for dept in places:
        parent = next((made[p] for p in sorted(made, key=len, reverse=True) if dept.path.startswith(p)), None)
        prefix = parent.path if parent is not None else ""
        children[prefix] = children.get(prefix, 0) + 1
        path = prefix + _step(children[prefix])
        area = Area.objects.create(
            path=path,
            depth=len(path) // STEP,
            numchild=0,
            name=dept.name.removesuffix("人民政府"),
            code=f"dept-{dept.code}"[:50],
            kind=PLACE_KINDS[dept.kind],
            is_active=dept.is_active,
        )
        if parent is not None:
            Area.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + 1)
        made[dept.path] = area
        mapping[dept.pk] = area.pk
    for old, new in mapping.items():
        Ticket.objects.filter(old_area_id=old).update(area_id=new)
        RoutingRule.objects.filter(old_area_id=old).update(area_id=new)
    RoutingRule.objects.exclude(old_area=None).filter(area=None).delete()


def _step(n: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, 36)
        out = alphabet[r] + out
    return out


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_areas_and_streets"),
        ("tickets", "0015_merge_20261201_0904"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="routingrule", name="one_rule_per_category_and_area"),
        migrations.RenameField(model_name="ticket", old_name="area", new_name="old_area"),
        migrations.RenameField(model_name="routingrule", old_name="area", new_name="old_area"),
        migrations.AddField(
            model_name="ticket",
            name="area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.area",
                verbose_name="area",
            ),
        ),
        migrations.AddField(
            model_name="routingrule",
            name="area",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: any area.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.area",
                verbose_name="area",
            ),
        ),
        migrations.RunPython(_areas_from_departments, migrations.RunPython.noop),
        migrations.RemoveField(model_name="ticket", name="old_area"),
        migrations.RemoveField(model_name="routingrule", name="old_area"),
        migrations.AddConstraint(
            model_name="routingrule",
            constraint=models.UniqueConstraint(fields=("category", "area"), name="one_rule_per_category_and_area"),
        ),
        migrations.CreateModel(
            name="CallDraft",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, unique=True)),
                ("phone", models.CharField(max_length=20, verbose_name="phone")),
                ("fields", models.JSONField(default=dict)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "operator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "verbose_name": "call draft",
                "verbose_name_plural": "call drafts",
                "indexes": [models.Index(fields=["operator", "-updated_at"], name="draft_by_operator")],
            },
        ),
    ]
