from django.urls import path

from . import live_views

app_name = "live"

urlpatterns = [
    path("live/<int:ticker_id>/eintraege/", live_views.live_entries, name="entries"),
]
