from django.urls import path

from learning.views import suggestions

app_name = "learning"
urlpatterns = [
    path("console/suggest-routing/", suggestions.console_suggestions, name="console_suggestions"),
    path("supervision/suggestions/", suggestions.suggestion_acceptance, name="suggestions"),
]
