from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("benachrichtigungen/abonnieren/", views.subscribe, name="subscribe"),
    path("benachrichtigungen/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("benachrichtigungen/verwalten/", views.manage_request, name="manage_request"),
    path("benachrichtigungen/verwalten/<str:token>/", views.manage, name="manage"),
    path("benachrichtigungen/verwalten/<str:token>/daten.json", views.export, name="export"),
    path("benachrichtigungen/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("benachrichtigungen/nicht-mehr-folgen/<str:token>/", views.unfollow, name="unfollow"),
    path("benachrichtigungen/push/abonnieren/", views.push_subscribe, name="push_subscribe"),
    path("benachrichtigungen/push/abmelden/", views.push_unsubscribe, name="push_unsubscribe"),
    path("sw.js", views.service_worker, name="service_worker"),
]
