from django.urls import path

from . import live_views

app_name = "live"

urlpatterns = [
    path("live/eilmeldung/", live_views.breaking_news, name="breaking"),
    path("live/<int:ticker_id>/eintraege/", live_views.live_entries, name="entries"),
]
