from django.urls import path

from reviews.apis.actions import APPEAL_ACTIONS, RECTIFICATION_ACTIONS
from reviews.apis.views import (
    AppealDetailApi,
    AppealListApi,
    FlagListApi,
    IvrSurveyApi,
    RectificationDetailApi,
    RectificationListApi,
    SurveyListApi,
    TicketSurveyApi,
)

urlpatterns = [
    path("tickets/<str:number>/survey/", TicketSurveyApi.as_view(), name="api-ticket-survey"),
    path("ivr/survey/", IvrSurveyApi.as_view(), name="api-ivr-survey"),
    path("surveys/", SurveyListApi.as_view(), name="api-surveys"),
    path("rectifications/", RectificationListApi.as_view(), name="api-rectifications"),
    path("rectifications/<int:pk>/", RectificationDetailApi.as_view(), name="api-rectification"),
    *[path(f"rectifications/<int:pk>/{name}/", api.as_view()) for name, api in RECTIFICATION_ACTIONS.items()],
    path("appeals/", AppealListApi.as_view(), name="api-appeals"),
    path("appeals/<int:pk>/", AppealDetailApi.as_view(), name="api-appeal"),
    *[path(f"appeals/<int:pk>/{name}/", api.as_view()) for name, api in APPEAL_ACTIONS.items()],
    path("flags/", FlagListApi.as_view(), name="api-flags"),
]
