from django.urls import path

from tickets import views

app_name = "tickets"
urlpatterns = [
    path("console/", views.console, name="console"),
    path("centre/queues/", views.centre_queues, name="centre_queues"),
    path("workbench/", views.workbench, name="workbench"),
    path("supervision/", views.supervision, name="supervision"),
]
