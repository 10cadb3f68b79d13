"""Back-fill the copies the rates read (migrations tickets 0022 and reviews 0010): each survey clock gets its round's
rated department and untrue time, each rectification its round's untrue time, each round its ticket's anonymity and
its rectification's verification time.

In batches of ids, each its own transaction (the migration is not atomic), so that a centre with millions of clocks
keeps working meanwhile; rounds opened and appeals upheld meanwhile already write the copies themselves."""

from django.db import migrations, transaction
from django.db.models import Min, Max, OuterRef, Subquery

BATCH = 50_000


def _batches(queryset):
    bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"] or 1, bounds["high"] or 0
    for first in range(low, high + 1, BATCH):
        yield queryset.filter(pk__gte=first, pk__lt=first + BATCH)


def forward(apps, schema_editor) -> None:
    Deadline = apps.get_model("tickets", "Deadline")
    Rectification = apps.get_model("reviews", "Rectification")
    SurveyRound = apps.get_model("reviews", "SurveyRound")
    Ticket = apps.get_model("tickets", "Ticket")
    of_clock = SurveyRound.objects.filter(deadline_id=OuterRef("pk")).order_by("pk")
    for batch in _batches(Deadline.objects.filter(kind="survey")):
        with transaction.atomic():
            batch.update(
                rated_department_id=Subquery(of_clock.values("department_id")[:1]),
                untrue_at=Subquery(of_clock.values("untrue_at")[:1]),
            )
    of_rectification = SurveyRound.objects.filter(pk=OuterRef("round_id"))
    for batch in _batches(Rectification.objects.all()):
        with transaction.atomic():
            batch.update(untrue_at=Subquery(of_rectification.values("untrue_at")[:1]))
    of_ticket = Ticket.objects.filter(pk=OuterRef("ticket_id"))
    of_round = Rectification.objects.filter(round_id=OuterRef("pk"))
    for batch in _batches(SurveyRound.objects.all()):
        with transaction.atomic():
            batch.update(
                anonymous=Subquery(of_ticket.values("anonymous")[:1]),
                verified_at=Subquery(of_round.values("verified_at")[:1]),
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("reviews", "0010_rates_read_copies"),
        ("tickets", "0022_survey_clock_copies_of_round"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
