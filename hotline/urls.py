from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hotline import views
from org.views import LoginView
from reviews import views as reviews_views
from supervision.views import figures, unit

handler400 = "hotline.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("tickets.api_urls")),
    path("api/v1/", include("reviews.api_urls")),
    path("api/v1/", include("supervision.api_urls")),
    path("s/<str:token>", reviews_views.survey_page, name="survey-page"),
    path("supervision/unit/", unit.unit, name="supervision-unit"),
    path("supervision/rankings/", figures.rankings, name="rankings"),
    path("supervision/charts/", figures.charts, name="charts"),
    path("supervision/month.xlsx", figures.month_export, name="month-export"),
    path("public/reports/", figures.public_reports, name="public-reports"),
    path("", include("learning.urls")),
    path("", include("tickets.urls")),
    path("", include("channels.urls")),
]
