from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("suche/", views.search_view, name="results"),
    path("suche/vorschlaege/", views.suggestions_view, name="suggestions"),
    path("suche/protokoll/", views.query_log_view, name="query_log"),
]
