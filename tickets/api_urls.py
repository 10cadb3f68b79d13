from django.urls import path

from org.views import TokenObtainApi
from tickets.apis.actions import ACTIONS
from tickets.apis.directory import CategoryListApi, DepartmentListApi, NotificationListApi
from tickets.apis.tickets import TicketDetailApi, TicketListApi
from tickets.apis.work import WorkApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("tickets/", TicketListApi.as_view(), name="api-tickets"),
    path("tickets/<str:number>/", TicketDetailApi.as_view(), name="api-ticket"),
    *[path(f"tickets/<str:number>/{name}/", api.as_view(), name=f"api-ticket-{name}") for name, api in ACTIONS.items()],
    path("departments/", DepartmentListApi.as_view(), name="api-departments"),
    path("categories/", CategoryListApi.as_view(), name="api-categories"),
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("work/", WorkApi.as_view(), name="api-work"),
]
