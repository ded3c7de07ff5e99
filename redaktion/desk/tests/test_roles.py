"""The ad-sales group, Wagtail's starter groups folded into the desk's, and editors' avatars."""

from urllib.parse import unquote

from django.contrib.auth.models import Group
from django.urls import reverse

from redaktion.desk.services import ANZEIGENVERKAUF, CHEF_VOM_DIENST, REDAKTEUR, desk_setup

from .helpers import make_user


def test_ad_sales_manage_campaigns_and_read_the_report_but_no_pages(client, home_page):
    desk_setup()
    seller = make_user("vera", ANZEIGENVERKAUF)
    client.force_login(seller)

    assert client.get(reverse("wagtailsnippets_ads_campaign:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_ads_campaign:add")).status_code == 200
    assert client.get(reverse("ads_report")).status_code == 200
    assert not home_page.permissions_for_user(seller).can_edit()
    assert not home_page.permissions_for_user(seller).can_add_subpage()
    # The page explorer has nothing for them.
    assert client.get(reverse("wagtailadmin_explore", args=[home_page.pk])).status_code in (
        302,
        403,
    )


def test_wagtails_starter_groups_are_folded_into_the_desk(home_page):
    editors = Group.objects.get_or_create(name="Editors")[0]
    moderators = Group.objects.get_or_create(name="Moderators")[0]
    eva = make_user("eva")
    max_ = make_user("max")
    eva.groups.add(editors)
    max_.groups.add(moderators)

    desk_setup()

    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert list(eva.groups.values_list("name", flat=True)) == [REDAKTEUR]
    assert list(max_.groups.values_list("name", flat=True)) == [CHEF_VOM_DIENST]


def test_editors_get_initials_instead_of_gravatar(client, home_page):
    desk_setup()
    editor = make_user("lena", REDAKTEUR)
    editor.first_name, editor.last_name = "Lena", "Hartmann"
    editor.save()
    client.force_login(editor)

    page = unquote(client.get(reverse("wagtailadmin_home")).content.decode())

    assert "gravatar" not in page
    assert "data:image/svg+xml,<svg" in page and ">LH</text>" in page
