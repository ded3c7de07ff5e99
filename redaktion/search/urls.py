from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("suche/", views.search_view, name="results"),
    path("suche/vorschlaege/", views.suggestions_view, name="suggestions"),
]
