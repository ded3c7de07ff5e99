from django.urls import path

from . import views

app_name = "ads"

urlpatterns = [
    path("auslieferung/", views.decision, name="decision"),
    path("sichtkontakt/", views.impression, name="impression"),
    path("klick/<str:token>/", views.click, name="click"),
    path("rahmen/<int:creative_id>/", views.frame, name="frame"),
]
