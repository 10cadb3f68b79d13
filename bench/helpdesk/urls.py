"""URLs as helpdesk's installation docs give them: the admin, then helpdesk at the root (its API at /api/)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
