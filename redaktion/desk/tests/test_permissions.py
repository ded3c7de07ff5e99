import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.permissions import policy_registry

from redaktion.desk.services import CHEF_VOM_DIENST, REDAKTEUR, desk_setup

from .helpers import make_article, make_autor, make_ressort, make_user


@pytest.fixture
def newsroom(home_page):
    desk_setup()
    politik = make_ressort(home_page, "Politik")
    sport = make_ressort(home_page, "Sport")
    return {
        "politik": politik,
        "sport": sport,
        "politik_article": make_article(politik, "Wahl in Hessen"),
        "sport_article": make_article(sport, "Derby endet torlos"),
    }


def perms(page, user):
    return page.permissions_for_user(user)


def test_autor_writes_in_the_assigned_ressort_only(newsroom):
    autor = make_autor("anna", newsroom["politik"])

    assert perms(newsroom["politik"], autor).can_add_subpage()
    assert not perms(newsroom["sport"], autor).can_add_subpage()
    assert not perms(newsroom["politik"].get_parent(), autor).can_add_subpage()


def test_autor_edits_own_drafts_but_neither_others_nor_publishes(newsroom):
    autor = make_autor("anna", newsroom["politik"])
    own = make_article(newsroom["politik"], "Koalition verhandelt", owner=autor, live=False)

    assert perms(own, autor).can_edit()
    assert not perms(own, autor).can_publish()
    assert not perms(newsroom["politik_article"], autor).can_edit()
    assert not perms(newsroom["sport_article"], autor).can_edit()


def test_autor_without_a_ressort_writes_nowhere(newsroom):
    autor = make_autor("bert")

    assert not perms(newsroom["politik"], autor).can_add_subpage()
    assert not policy_registry.get_by_type(type(newsroom["politik"])).user_has_permission(
        autor, "add"
    )


def media_by(user):
    image = get_image_model().objects.create(
        title="Foto", file=get_test_image_file(), uploaded_by_user=user
    )
    document = get_document_model().objects.create(
        title="Dokument", file=ContentFile(b"Text", name="dokument.txt"), uploaded_by_user=user
    )
    return image, document


def test_autor_adds_and_chooses_media_but_changes_only_own(newsroom):
    autor = make_autor("anna", newsroom["politik"])
    own = media_by(autor)
    others = media_by(make_user("fotograf"))

    for own_item, other_item in zip(own, others, strict=True):
        policy = policy_registry.get_by_type(type(own_item))
        assert policy.user_has_permission(autor, "add")
        assert policy.user_has_permission(autor, "choose")
        assert policy.user_has_permission_for_instance(autor, "change", own_item)
        assert not policy.user_has_permission_for_instance(autor, "change", other_item)
        assert not policy.user_has_permission_for_instance(autor, "delete", other_item)
    assert autor.has_perm("news.view_author")
    assert not autor.has_perm("news.change_author")


def test_redakteur_edits_everything_but_cannot_publish(newsroom):
    redakteur = make_user("rita", REDAKTEUR)

    for page in (newsroom["politik_article"], newsroom["sport_article"]):
        assert perms(page, redakteur).can_edit()
        assert not perms(page, redakteur).can_publish()
        assert not perms(page, redakteur).can_unpublish()
    assert perms(newsroom["sport"], redakteur).can_add_subpage()
    assert redakteur.has_perm("news.change_author")
    assert not redakteur.has_perm("news.delete_author")


def test_chef_vom_dienst_publishes_locks_and_unlocks(newsroom):
    cvd = make_user("carl", CHEF_VOM_DIENST)
    article = newsroom["sport_article"]

    assert perms(article, cvd).can_publish()
    assert perms(article, cvd).can_unpublish()
    assert perms(article, cvd).can_lock()
    assert perms(article, cvd).can_unlock()
    assert perms(newsroom["sport"], cvd).can_delete()
    assert policy_registry.get_by_type(get_image_model()).user_has_permission(cvd, "delete")


def test_autor_is_turned_away_from_another_ressorts_add_view(client, newsroom):
    client.force_login(make_autor("anna", newsroom["politik"]))

    def add_url(ressort):
        return reverse("wagtailadmin_pages:add", args=["news", "articlepage", ressort.pk])

    assert client.get(add_url(newsroom["politik"])).status_code == 200

    response = client.get(add_url(newsroom["sport"]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    # Wagtail turns the denial into a message outside the user's admin language.
    with translation.override(settings.LANGUAGE_CODE):
        denied = translation.gettext("Sorry, you do not have permission to access this area.")
    assert [str(m).strip() for m in get_messages(response.wsgi_request)] == [denied]
