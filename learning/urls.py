from django.urls import path

from learning.views import hotspots, suggestions

app_name = "learning"
urlpatterns = [
    path("console/suggest-routing/", suggestions.console_suggestions, name="console_suggestions"),
    path("supervision/suggestions/", suggestions.suggestion_acceptance, name="suggestions"),
    path("supervision/hotspots/", hotspots.hotspot_list, name="hotspots"),
    path("supervision/hotspots/<int:pk>/merge/", hotspots.hotspot_merge_view, name="hotspot_merge"),
]
