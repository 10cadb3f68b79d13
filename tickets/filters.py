"""django-filter FilterSets used by the ticket selectors (the API and, later, the pages)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Area, Department
from tickets.models import Category, Deadline, Ticket
from tickets.search.box import box_filter
from tickets.search.words import Window


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A list's choices read by one plain query. Django reads them with ``QuerySet.iterator()``, which on PostgreSQL
    opens a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) on every page for a few dozen rows."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` for a short list (departments, categories, areas): see ``ListedChoiceIterator``."""

    field_class = ListedChoiceField


class _YesNoSelect(forms.NullBooleanSelect):
    """Django's yes/no/unknown select, except that a value it does not know is passed on to be refused: Django's
    widget turns any such value into "unknown", so ``?overdue=maybe`` listed every ticket as if no filter were set."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = data.get(name)
        if value in (None, "", "unknown"):
            return None
        known = super().value_from_datadict(data, files, name)
        return value if known is None else known  # "1" and "0" too: the field reads them as yes and no


class YesNoField(forms.NullBooleanField):
    widget = _YesNoSelect
    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: "unknown", as Django returns
        if value is None or isinstance(value, bool):
            return value
        known = super().to_python(value)
        if known is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return known


class YesNoFilter(django_filters.BooleanFilter):
    """``BooleanFilter`` that refuses a value that is neither yes, no nor empty (see ``_YesNoSelect``)."""

    field_class = YesNoField


class TicketFilter(django_filters.FilterSet):
    confidential_callers = True  # set False for a department: a name or phone never finds a confidential caller
    scope_units: list[int] | None = None  # the viewer's departments (None: everything), for the words index
    window: Window | None = None  # the time of receipt a windowed reader reads (tickets/search/words.py)
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=Ticket.Kind.choices, label=_("kind"))
    channel = django_filters.ChoiceFilter(choices=Ticket.Channel.choices, label=_("channel"))
    department = ListedChoiceFilter(
        queryset=Department.objects.all(), method="filter_department", label=_("department (with units below)")
    )
    category = ListedChoiceFilter(
        queryset=Category.objects.all(), method="filter_category", label=_("category (with subcategories)")
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    due_before = django_filters.IsoDateTimeFilter(method="filter_due_before", label=_("an open clock due before"))
    due_after = django_filters.IsoDateTimeFilter(method="filter_due_after", label=_("an open clock due after"))
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    text = django_filters.CharFilter(method="filter_text", label=_("text"))
    q = django_filters.CharFilter(method="filter_box", label=_("number, phone, caller name or words"))
    urgency = django_filters.ChoiceFilter(choices=Ticket.Urgency.choices, label=_("urgency"))
    area = ListedChoiceFilter(queryset=Area.objects.all(), method="filter_area", label=_("area (with places below)"))
    bad_review = YesNoFilter(method="filter_bad_review", label=_("has a bad review"))
    created_from = django_filters.DateFilter(method="filter_created_from", label=_("received from"))
    created_to = django_filters.DateFilter(method="filter_created_to", label=_("received until"))

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

    def filter_box(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return box_filter(
            queryset, value, confidential_callers=self.confidential_callers, units=self.scope_units, window=self.window
        )

    def filter_area(self, queryset: QuerySet[Ticket], name: str, value: Area) -> QuerySet[Ticket]:
        return queryset.filter(area__path__startswith=value.path)

    def filter_bad_review(self, queryset: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        from reviews.models import BAD_RATINGS, SurveyRound

        bad = Exists(SurveyRound.objects.filter(ticket=OuterRef("pk"), rating__in=BAD_RATINGS))
        return queryset.filter(bad) if value else queryset.exclude(bad)

    def filter_created_from(self, queryset: QuerySet[Ticket], name: str, value: date) -> QuerySet[Ticket]:
        return queryset.filter(created_at__gte=_local_midnight(value))

    def filter_created_to(self, queryset: QuerySet[Ticket], name: str, value: date) -> QuerySet[Ticket]:
        return queryset.filter(created_at__lt=_local_midnight(value + timedelta(days=1)))

    def filter_text(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return queryset.filter(Q(number=value.strip()) | Q(content__icontains=value) | Q(address__icontains=value))
