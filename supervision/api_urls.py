from django.urls import path

from supervision.apis import RatesApi

urlpatterns = [
    path("stats/rates/", RatesApi.as_view(), name="api-rates"),
]
