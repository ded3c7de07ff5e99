from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from redaktion.desk.models import RessortAuthorGroup
from redaktion.desk.services import (
    ANZEIGENVERKAUF,
    APPROVAL_TASK_NAME,
    AUTOR,
    CHEF_VOM_DIENST,
    REDAKTEUR,
    REVIEW_TASK_NAME,
    WORKFLOW_NAME,
    desk_setup,
    ressort_group_sync,
    ressort_groups_sync,
)
from redaktion.desk.signals import set_up_desk
from redaktion.news.models import HomePage

from .helpers import make_ressort, make_user


def permissions_snapshot():
    """Every group with its model, page and collection permissions, comparable as a whole."""
    return {
        group.name: (
            sorted(
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.select_related("content_type")
            ),
            sorted(
                (gpp.page.title, gpp.permission.codename)
                for gpp in GroupPagePermission.objects.filter(group=group).select_related(
                    "page", "permission"
                )
            ),
            sorted(
                (gcp.collection.name, gcp.permission.codename)
                for gcp in GroupCollectionPermission.objects.filter(group=group).select_related(
                    "collection", "permission"
                )
            ),
        )
        for group in Group.objects.order_by("name")
    }


def row_counts():
    models = [
        Group,
        GroupPagePermission,
        GroupCollectionPermission,
        Workflow,
        Task,
        WorkflowTask,
        WorkflowPage,
        RessortAuthorGroup,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_roles_get_their_permissions(home_page):
    desk_setup()
    snapshot = permissions_snapshot()

    autor_perms, autor_pages, autor_collections = snapshot[AUTOR]
    assert autor_perms == ["news.view_author", "news.view_topic", "wagtailadmin.access_admin"]
    assert autor_pages == []
    assert autor_collections == [
        ("Medien", "add_document"),
        ("Medien", "add_image"),
        ("Medien", "choose_document"),
        ("Medien", "choose_image"),
    ]

    redakteur_perms, redakteur_pages, _ = snapshot[REDAKTEUR]
    assert "news.change_author" in redakteur_perms
    assert "news.delete_author" not in redakteur_perms
    assert redakteur_pages == [("Startseite", "add_page"), ("Startseite", "change_page")]

    cvd_perms, cvd_pages, cvd_collections = snapshot[CHEF_VOM_DIENST]
    assert "news.delete_topic" in cvd_perms
    # The Chef vom Dienst decides what is breaking news and may resend it to followers.
    assert "notifications.send_breaking" in cvd_perms
    assert [codename for _, codename in cvd_pages] == [
        "add_page",
        "bulk_delete_page",
        "change_page",
        "lock_page",
        "publish_page",
        "unlock_page",
    ]
    assert ("Medien", "delete_image") in cvd_collections
    # Workflow administration stays with superusers.
    assert not any("workflow" in perm for perm in cvd_perms)


def test_desk_setup_is_idempotent(home_page):
    make_ressort(home_page, "Politik")
    make_ressort(home_page, "Sport")
    desk_setup()
    snapshot, counts = permissions_snapshot(), row_counts()

    desk_setup()
    desk_setup()

    assert permissions_snapshot() == snapshot
    assert row_counts() == counts
    assert Group.objects.filter(name="Autor: Politik").count() == 1


def test_desk_setup_keeps_what_an_administrator_added(home_page):
    redakteur = desk_setup().groups[REDAKTEUR]
    extra = apps.get_model("auth", "Permission").objects.get(codename="delete_author")
    redakteur.permissions.add(extra)

    desk_setup()

    assert redakteur.permissions.filter(pk=extra.pk).exists()


def test_desk_setup_works_before_a_home_page_exists(home_page):
    Page.objects.filter(pk=home_page.pk).delete()
    Group.objects.filter(name__in=[AUTOR, REDAKTEUR, CHEF_VOM_DIENST, ANZEIGENVERKAUF]).delete()

    setup = desk_setup()

    assert set(setup.groups) == {AUTOR, REDAKTEUR, CHEF_VOM_DIENST, ANZEIGENVERKAUF}
    assert not GroupPagePermission.objects.filter(group__name=REDAKTEUR).exists()


def test_workflow_reviews_then_approves_every_article(home_page):
    workflow = desk_setup().workflow

    assert workflow.name == WORKFLOW_NAME
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == [REVIEW_TASK_NAME, APPROVAL_TASK_NAME]
    assert all(isinstance(task, GroupApprovalTask) for task in tasks)
    assert [[group.name for group in task.groups.all()] for task in tasks] == [
        [REDAKTEUR],
        [CHEF_VOM_DIENST],
    ]
    assert WorkflowPage.objects.get(page=home_page).workflow == workflow
    article_parent = make_ressort(home_page, "Politik")
    assert article_parent.get_workflow() == workflow


def test_post_migrate_sets_up_the_desk_once_every_app_is_migrated(home_page):
    Group.objects.filter(name=CHEF_VOM_DIENST).delete()

    set_up_desk(sender=apps.get_app_config("news"), using="default")
    assert not Group.objects.filter(name=CHEF_VOM_DIENST).exists()

    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    set_up_desk(sender=last, using="default")
    assert Group.objects.filter(name=CHEF_VOM_DIENST).exists()


def test_ressort_group_follows_a_rename(home_page):
    ressort = make_ressort(home_page, "Politik")
    group = ressort_group_sync(ressort=ressort)
    assert group.name == "Autor: Politik"
    assert GroupPagePermission.objects.filter(
        group=group, page=ressort, permission__codename="add_page"
    ).exists()

    ressort.title = ressort.draft_title = "Politik & Gesellschaft"
    ressort.save()
    renamed = ressort_group_sync(ressort=ressort)

    assert renamed.pk == group.pk
    assert renamed.name == "Autor: Politik & Gesellschaft"


def test_ressorts_with_the_same_title_get_separate_groups(home_page):
    first = make_ressort(home_page, "Welt")
    second = home_page.add_child(instance=type(first)(title="Welt", slug="welt-2"))

    names = [group.name for group in ressort_groups_sync()]

    assert names == ["Autor: Welt", f"Autor: Welt ({second.pk})"]


def test_deleting_a_ressort_removes_its_group(home_page):
    ressort = make_ressort(home_page, "Kultur")
    ressort_group_sync(ressort=ressort)

    ressort.delete()
    ressort_groups_sync()

    assert not Group.objects.filter(name="Autor: Kultur").exists()


def test_creating_a_ressort_in_the_admin_creates_its_group(client, home_page):
    client.force_login(make_user("chef", superuser=True))
    url = reverse("wagtailadmin_pages:add", args=["news", "ressortpage", home_page.pk])

    response = client.post(
        url,
        nested_form_data(
            {"title": "Kultur", "slug": "kultur", "description": "", "comments": inline_formset([])}
        ),
    )

    assert response.status_code == 302
    ressort = HomePage.objects.get(pk=home_page.pk).get_children().get(slug="kultur")
    assert RessortAuthorGroup.objects.get(page=ressort).group.name == "Autor: Kultur"
