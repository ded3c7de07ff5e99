"""The Liveticker's place in the admin: its desk's URLs and a "Neuer Eintrag" button in the
header and the page listing of every ticker the user may write in."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton

from .live import LiveTickerPage
from .live_admin import desk_view, entry_edit_view
from .live_services import entry_may_post


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("liveticker/<int:page_id>/", desk_view, name="news_live_desk"),
        path(
            "liveticker/<int:page_id>/eintrag/<int:entry_id>/",
            entry_edit_view,
            name="news_live_entry",
        ),
    ]


def _may_post(page, user) -> bool:
    return issubclass(page.specific_class or object, LiveTickerPage) and entry_may_post(
        user=user, ticker=page
    )


@hooks.register("register_page_header_buttons")
def live_entry_button(page, user, view_name=None, next_url=None):
    if _may_post(page, user):
        yield Button(
            gettext_lazy("New entry"),
            reverse("news_live_desk", args=[page.pk]),
            icon_name="plus",
            priority=5,
        )


@hooks.register("register_page_listing_buttons")
def live_entry_listing_button(page, user, next_url=None):
    if _may_post(page, user):
        yield ListingButton(
            gettext_lazy("New entry"),
            reverse("news_live_desk", args=[page.pk]),
            icon_name="plus",
            priority=5,
        )
