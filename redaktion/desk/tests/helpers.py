"""Small builders for the desk's tests: Ressorts, articles and desk users."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from redaktion.desk.services import AUTOR, ressort_group_sync
from redaktion.news.models import ArticlePage, RessortPage


def make_ressort(home_page, title: str) -> RessortPage:
    return home_page.add_child(instance=RessortPage(title=title, slug=slugify(title)))


def make_article(ressort, title: str, *, owner=None, live: bool = True, **fields) -> ArticlePage:
    return ressort.add_child(
        instance=ArticlePage(
            title=title,
            slug=slugify(title),
            lead=f"Vorspann zu {title}.",
            body=[("paragraph", RichText("<p>Text</p>"))],
            owner=owner,
            live=live,
            **fields,
        )
    )


def make_user(username: str, *group_names: str, superuser: bool = False):
    """A user in the named groups, whose admin speaks English so that tests can read it
    whichever catalogue is compiled."""
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="x",
        is_superuser=superuser,
        is_staff=superuser,
    )
    user.groups.add(*Group.objects.filter(name__in=group_names))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    # A fresh instance: permission caches on the object predate the group memberships.
    return get_user_model().objects.get(pk=user.pk)


def make_autor(username: str, *ressorts):
    """An Autor who writes in the given Ressorts."""
    groups = [ressort_group_sync(ressort=ressort).name for ressort in ressorts]
    return make_user(username, AUTOR, *groups)
