"""Read-only lists: departments, categories, the user's notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from hotline.api import CheckedCursorPagination
from org.models import Department, User
from org.selectors import department_list
from tickets.models import Category, Notification


class DepartmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "kind", "path", "depth", "is_active"]


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "path", "depth", "keywords"]


class NotificationOutput(serializers.ModelSerializer):
    ticket = serializers.CharField(source="ticket.number")

    class Meta:
        model = Notification
        fields = ["id", "kind", "ticket", "text", "created_at", "read_at"]


class DepartmentListApi(ListAPIView):
    serializer_class = DepartmentOutput
    pagination_class = None

    def get_queryset(self) -> QuerySet[Department]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Department.objects.none()
        user: User = self.request.user  # type: ignore[assignment]
        return department_list(viewer=user).order_by("path")


class CategoryListApi(ListAPIView):
    serializer_class = CategoryOutput
    pagination_class = None
    queryset = Category.objects.filter(is_active=True).order_by("path")


class NotificationCursor(CheckedCursorPagination):
    ordering = "-created_at"
    page_size = 50


class NotificationListApi(ListAPIView):
    serializer_class = NotificationOutput
    pagination_class = NotificationCursor

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        user: User = self.request.user  # type: ignore[assignment]
        return Notification.objects.filter(user=user).select_related("ticket")
