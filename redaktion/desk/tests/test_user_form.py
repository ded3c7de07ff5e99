"""Creating and editing users in the admin: an Autor gets the group "Autor" and a Ressort
choice in the same form, and an Autor without a Ressort is refused with the reason."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from redaktion.desk.services import AUTOR, REDAKTEUR, desk_setup

from .helpers import make_ressort, make_user


def form_data(username: str, *, groups=(), ressorts=(), **fields) -> dict:
    return {
        "username": username,
        "email": f"{username}@example.org",
        "first_name": "Anna",
        "last_name": "Berg",
        "password1": "ein langes Passwort 2026",
        "password2": "ein langes Passwort 2026",
        "groups": [Group.objects.get(name=name).pk for name in groups],
        "ressorts": [ressort.pk for ressort in ressorts],
        **fields,
    }


def newsroom(client, home_page):
    desk_setup()
    politik = make_ressort(home_page, "Politik")
    sport = make_ressort(home_page, "Sport")
    client.force_login(make_user("admin", superuser=True))
    return politik, sport


def test_an_autor_is_created_with_the_ressorts_to_write_in(client, home_page):
    politik, sport = newsroom(client, home_page)

    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="ressorts"' in form and "Autor: Politik" not in form

    response = client.post(
        reverse("wagtailusers_users:add"), form_data("anna", groups=[AUTOR], ressorts=[politik])
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    anna = get_user_model().objects.get(username="anna")
    assert set(anna.groups.values_list("name", flat=True)) == {AUTOR, "Autor: Politik"}
    assert politik.permissions_for_user(anna).can_add_subpage()
    assert not sport.permissions_for_user(anna).can_add_subpage()


def test_an_autor_without_a_ressort_is_refused_with_the_reason(client, home_page):
    newsroom(client, home_page)

    response = client.post(reverse("wagtailusers_users:add"), form_data("bert", groups=[AUTOR]))

    assert response.status_code == 200
    assert "needs at least one Ressort" in response.content.decode()
    assert not get_user_model().objects.filter(username="bert").exists()


def test_ressorts_without_the_autor_group_are_refused(client, home_page):
    politik, _ = newsroom(client, home_page)

    response = client.post(
        reverse("wagtailusers_users:add"),
        form_data("carl", groups=[REDAKTEUR], ressorts=[politik]),
    )

    assert response.status_code == 200
    assert "tick Autor" in response.content.decode()


def test_editing_shows_and_changes_the_ressorts(client, home_page):
    politik, sport = newsroom(client, home_page)
    client.post(
        reverse("wagtailusers_users:add"), form_data("anna", groups=[AUTOR], ressorts=[politik])
    )
    anna = get_user_model().objects.get(username="anna")
    edit_url = reverse("wagtailusers_users:edit", args=[anna.pk])
    form = client.get(edit_url).context["form"]
    assert list(form.initial["ressorts"]) == [politik]

    data = form_data("anna", groups=[AUTOR], ressorts=[sport], is_active="on")
    data.pop("password1"), data.pop("password2")
    response = client.post(edit_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(anna.groups.values_list("name", flat=True)) == {AUTOR, "Autor: Sport"}
