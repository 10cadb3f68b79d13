from django.urls import path, re_path

from channels import apis, open311, views

app_name = "channels"
FMT = r"(?P<fmt>json|xml)"
urlpatterns = [
    path("api/v1/tickets/<str:number>/publish/", apis.TicketPublishApi.as_view(), name="api-ticket-publish"),
    path("submit/", views.submit, name="submit"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("track/", views.track, name="track"),
    re_path(rf"^open311/v2/services\.{FMT}$", open311.services, name="open311-services"),
    re_path(rf"^open311/v2/services/(?P<code>[\w-]+)\.{FMT}$", open311.service_definition),
    re_path(rf"^open311/v2/requests\.{FMT}$", open311.requests_collection, name="open311-requests"),
    re_path(rf"^open311/v2/requests/(?P<number>\d+)\.{FMT}$", open311.request_single),
]
