from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("gelesen/", views.beacon, name="beacon"),
    path("meistgelesen/", views.most_read_week, name="most_read"),
]
