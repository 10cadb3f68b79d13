"""django-filter FilterSets used by the ticket selectors (the API and, later, the pages)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department
from tickets.models import Category, Deadline, Ticket


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=Ticket.Kind.choices, label=_("kind"))
    channel = django_filters.ChoiceFilter(choices=Ticket.Channel.choices, label=_("channel"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), method="filter_department", label=_("department (with units below)")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), method="filter_category", label=_("category (with subcategories)")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    due_before = django_filters.IsoDateTimeFilter(method="filter_due_before", label=_("an open clock due before"))
    due_after = django_filters.IsoDateTimeFilter(method="filter_due_after", label=_("an open clock due after"))
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    text = django_filters.CharFilter(method="filter_text", label=_("text"))

    class Meta:
        model = Ticket
        fields = ["status", "kind", "channel"]

    def filter_department(self, queryset: QuerySet[Ticket], name: str, value: Department) -> QuerySet[Ticket]:
        return queryset.filter(lead_department__path__startswith=value.path)

    def filter_category(self, queryset: QuerySet[Ticket], name: str, value: Category) -> QuerySet[Ticket]:
        return queryset.filter(category__path__startswith=value.path)

    def filter_overdue(self, queryset: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        late = (
            Deadline.objects.filter(ticket=OuterRef("pk"))
            .filter(
                Q(state=Deadline.State.OPEN, due_at__lte=timezone.now()) | Q(breached_at__isnull=False, met_at=None)
            )
            .exclude(state=Deadline.State.SUPERSEDED)
        )
        return queryset.filter(Exists(late)) if value else queryset.exclude(Exists(late))

    def _open_due(self, queryset: QuerySet[Ticket], **due: object) -> QuerySet[Ticket]:
        return queryset.filter(Exists(Deadline.objects.filter(ticket=OuterRef("pk"), state="open", **due)))

    def filter_due_before(self, queryset: QuerySet[Ticket], name: str, value: object) -> QuerySet[Ticket]:
        return self._open_due(queryset, due_at__lt=value)

    def filter_due_after(self, queryset: QuerySet[Ticket], name: str, value: object) -> QuerySet[Ticket]:
        return self._open_due(queryset, due_at__gte=value)

    def filter_text(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return queryset.filter(Q(number=value.strip()) | Q(content__icontains=value) | Q(address__icontains=value))
