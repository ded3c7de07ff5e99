from django.urls import path
from wagtail import hooks

from .views import PipelinePanel, PipelineView


@hooks.register("register_admin_urls")
def register_pipeline_urls():
    return [path("pipeline/", PipelineView.as_view(), name="core_pipeline")]


@hooks.register("construct_homepage_panels")
def add_pipeline_panel(request, panels):
    panels.append(PipelinePanel())
