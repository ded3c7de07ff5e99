from django.urls import path

from . import views

app_name = "syndication"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    # Before the section pattern, which would otherwise take "news" as a section name.
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
]
