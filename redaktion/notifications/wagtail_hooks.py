"""The editors' "Eilmeldung" action: resend a published article to every follower at once.

A button in the page header of a live article leads to a confirmation view; posting it
enqueues the fan-out. Only users with ``notifications.send_breaking`` see and use it.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button

from redaktion.news.models import ArticlePage

from . import tasks
from .models import Announcement

PERMISSION = "notifications.send_breaking"


def breaking_view(request, page_id):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    article = get_object_or_404(ArticlePage.objects.live(), pk=page_id)
    announcement = Announcement.objects.filter(article_id=page_id).first()
    if request.method == "POST":
        transaction.on_commit(partial(tasks.send_breaking.enqueue, article.pk))
        messages.success(
            request,
            _("“%(title)s” is being sent to its followers as breaking news.")
            % {"title": article.title},
        )
        return redirect("wagtailadmin_pages:edit", article.pk)
    return TemplateResponse(
        request,
        "notifications/admin/breaking.html",
        {"page": article, "announcement": announcement},
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "notifications/breaking/<int:page_id>/",
            breaking_view,
            name="notifications_breaking",
        )
    ]


@hooks.register("register_page_header_buttons")
def breaking_button(page, user, view_name=None, next_url=None):
    if page.live and isinstance(page.specific_deferred, ArticlePage) and user.has_perm(PERMISSION):
        yield Button(
            gettext_lazy("Send as breaking news"),
            reverse("notifications_breaking", args=[page.pk]),
            icon_name="warning",
            priority=60,
        )
