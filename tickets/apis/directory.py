"""Read-only lists: departments, categories, the user's notifications."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination

from org.models import Department, User
from org.selectors import department_list
from tickets.models import Category, Notification


class DepartmentListApi(ListAPIView):
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Department
            fields = ["id", "code", "name", "kind", "path", "depth", "is_active"]

    serializer_class = OutputSerializer
    pagination_class = None

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return department_list(viewer=self.request.user).order_by("path")  # type: ignore[arg-type]


class CategoryListApi(ListAPIView):
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Category
            fields = ["id", "code", "name", "path", "depth", "keywords"]

    serializer_class = OutputSerializer
    pagination_class = None
    queryset = Category.objects.filter(is_active=True).order_by("path")


class NotificationCursor(CursorPagination):
    ordering = "-created_at"
    page_size = 50


class NotificationListApi(ListAPIView):
    class OutputSerializer(serializers.ModelSerializer):
        ticket = serializers.CharField(source="ticket.number")

        class Meta:
            model = Notification
            fields = ["id", "kind", "ticket", "text", "created_at", "read_at"]

    serializer_class = OutputSerializer
    pagination_class = NotificationCursor

    def get_queryset(self):  # type: ignore[no-untyped-def]
        user: User = self.request.user  # type: ignore[assignment]
        return Notification.objects.filter(user=user).select_related("ticket")
