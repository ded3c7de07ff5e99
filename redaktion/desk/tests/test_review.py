"""The desk's review paths through the page editor, for each group: approve, approve with a
schedule, edit then approve, request changes with a comment, cancel, and scheduling by
someone who does not review the current step.

Each test submits the editor's own form as the browser would (``editor.press``), so the
edit view, the workflow and the desk's hooks act together as they do for an editor.
"""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import TaskState, WorkflowState

from redaktion.core.templatetags.redaktion_tags import zeitpunkt, zeitpunkt_genau
from redaktion.desk.selectors import desk_status
from redaktion.desk.services import (
    APPROVAL_TASK_NAME,
    CHEF_VOM_DIENST,
    REDAKTEUR,
    REVIEW_TASK_NAME,
    desk_setup,
)
from redaktion.news.factories import AuthorFactory
from redaktion.news.models import ArticleAuthor, ArticlePage

from . import editor
from .helpers import make_article, make_autor, make_ressort, make_user


@pytest.fixture
def desk(home_page, client):
    """An Autor's draft, submitted to the desk's workflow through the editor."""
    desk_setup()
    politik = make_ressort(home_page, "Politik")
    autor = make_autor("anna", politik)
    autor.first_name, autor.last_name = "Anna", "Autorin"
    autor.save()
    article = make_article(
        politik,
        "Haushalt beschlossen",
        owner=autor,
        live=False,
        article_authors=[ArticleAuthor(author=AuthorFactory(name="Anna Autorin"))],
    )
    article.save_revision(user=autor)
    people = {
        "autor": autor,
        "redakteur": make_user("rita", REDAKTEUR),
        "cvd": make_user("carl", CHEF_VOM_DIENST),
    }
    return {"article": article, "client": client, **people}


def as_user(desk, name):
    desk["client"].force_login(desk[name])
    return desk["client"]


def submitted(desk):
    editor.submit(as_user(desk, "autor"), desk["article"])
    return workflow_state(desk)


def reviewed(desk):
    """Submitted and through the Redaktionsprüfung: the CvD's step is next."""
    submitted(desk)
    editor.approve(as_user(desk, "redakteur"), desk["article"])
    assert current_step(desk) == APPROVAL_TASK_NAME


def workflow_state(desk) -> WorkflowState:
    return WorkflowState.objects.for_instance(desk["article"]).order_by("-pk").first()


def current_step(desk) -> str | None:
    state = workflow_state(desk)
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    return state.current_task_state.task.name


def article(desk) -> ArticlePage:
    return ArticlePage.objects.get(pk=desk["article"].pk)


def messages(response) -> list[str]:
    """The messages shown, as the editor reads them (Wagtail's come as HTML, with buttons)."""
    return [
        " ".join(unescape(strip_tags(str(message))).split())
        for message in response.context["messages"]
    ]


def in_two_days():
    return (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)


# Approve


def test_redakteur_approves_once_and_the_cvd_is_next(desk):
    submitted(desk)
    assert current_step(desk) == REVIEW_TASK_NAME

    response = editor.approve(as_user(desk, "redakteur"), desk["article"], follow=True)

    assert current_step(desk) == APPROVAL_TASK_NAME
    assert "“Haushalt beschlossen”: approved. Next: Freigabe durch CvD by Chef vom Dienst." in (
        messages(response)
    )


def test_cvd_approves_and_the_article_goes_live(desk):
    reviewed(desk)

    response = editor.approve(as_user(desk, "cvd"), desk["article"], follow=True)

    assert workflow_state(desk).status == WorkflowState.STATUS_APPROVED
    assert article(desk).live
    assert "“Haushalt beschlossen”: approved and live." in messages(response)


def test_the_autor_cannot_approve(desk):
    submitted(desk)

    response = editor.approve(as_user(desk, "autor"), desk["article"], follow=True)

    assert current_step(desk) == REVIEW_TASK_NAME
    assert "The page could not be saved as it is locked." in messages(response)


# Approve with a schedule


def test_cvd_approves_and_schedules_in_one_action(desk):
    reviewed(desk)
    go_live_at = in_two_days()

    response = editor.approve(
        as_user(desk, "cvd"),
        desk["article"],
        changes={"go_live_at": editor.local(go_live_at)},
        follow=True,
    )

    state = workflow_state(desk)
    assert state.status == WorkflowState.STATUS_APPROVED
    page = article(desk)
    assert not page.live
    assert page.scheduled_revision.approved_go_live_at == go_live_at
    assert f"“Haushalt beschlossen”: approved. Goes live: {zeitpunkt_genau(go_live_at)}." in (
        messages(response)
    )
    # The Redaktionsprüfung was never asked again.
    assert state.task_states.filter(task__name=REVIEW_TASK_NAME).count() == 1


def test_the_approval_mail_of_a_scheduled_article_links_to_its_preview(desk, mailoutbox, settings):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True  # text and HTML parts
    reviewed(desk)
    go_live_at = in_two_days()
    mailoutbox.clear()

    editor.approve(
        as_user(desk, "cvd"), desk["article"], changes={"go_live_at": editor.local(go_live_at)}
    )

    [mail] = [m for m in mailoutbox if desk["autor"].email in m.to]
    preview = f"/admin/pages/{desk['article'].pk}/view_draft/"
    assert preview in mail.body and f"It goes live on {zeitpunkt(go_live_at)}." in mail.body
    assert desk["article"].url_path.strip("/").split("/")[-1] not in mail.body  # no live URL
    html = mail.alternatives[0][0]
    assert preview in html


def test_cvd_saves_the_schedule_first_and_approving_does_not_restart_the_workflow(desk):
    """As reported: "Zeitplan speichern", then "Freigeben"."""
    reviewed(desk)
    go_live_at = in_two_days()
    cvd = as_user(desk, "cvd")

    editor.save_schedule(cvd, desk["article"], go_live_at=go_live_at)
    assert current_step(desk) == APPROVAL_TASK_NAME
    editor.approve(cvd, desk["article"])

    assert workflow_state(desk).status == WorkflowState.STATUS_APPROVED
    assert article(desk).scheduled_revision.approved_go_live_at == go_live_at
    assert workflow_state(desk).task_states.filter(task__name=REVIEW_TASK_NAME).count() == 1


def test_redakteur_approves_with_a_schedule_that_the_cvd_approval_makes_effective(desk):
    submitted(desk)
    go_live_at = in_two_days()

    editor.approve(
        as_user(desk, "redakteur"),
        desk["article"],
        changes={"go_live_at": editor.local(go_live_at)},
    )

    assert current_step(desk) == APPROVAL_TASK_NAME
    assert article(desk).scheduled_revision is None  # not before the last approval
    cvd = as_user(desk, "cvd")
    page = cvd.get(editor.edit_url(desk["article"])).content.decode()
    assert "Approve and schedule" in page
    assert f"Goes live: {zeitpunkt_genau(go_live_at)}, with the last approval." in page

    editor.approve(cvd, desk["article"])

    assert article(desk).scheduled_revision.approved_go_live_at == go_live_at
    assert not article(desk).live


# Edit, then approve


def test_redakteur_edits_and_approves_once(desk):
    """As reported, he had to approve his own step twice."""
    submitted(desk)

    editor.approve(
        as_user(desk, "redakteur"), desk["article"], changes={"lead": "Vom Redakteur gekürzt."}
    )

    assert current_step(desk) == APPROVAL_TASK_NAME
    assert article(desk).get_latest_revision_as_object().lead == "Vom Redakteur gekürzt."


def test_redakteur_saves_an_edit_and_approves_later(desk):
    submitted(desk)
    redakteur = as_user(desk, "redakteur")

    editor.press(redakteur, desk["article"], changes={"lead": "Erst gespeichert."})
    assert current_step(desk) == REVIEW_TASK_NAME
    editor.approve(redakteur, desk["article"])

    assert current_step(desk) == APPROVAL_TASK_NAME


def test_cvd_edits_and_approves_and_the_edit_goes_live_without_a_second_review(desk):
    reviewed(desk)

    editor.approve(as_user(desk, "cvd"), desk["article"], changes={"lead": "Vom CvD geschärft."})

    state = workflow_state(desk)
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.task_states.filter(task__name=REVIEW_TASK_NAME).count() == 1
    assert article(desk).live
    assert article(desk).lead == "Vom CvD geschärft."


# Request changes with a comment


def test_redakteur_requests_changes_and_the_autor_gets_the_article_back(desk):
    submitted(desk)

    response = editor.reject(
        as_user(desk, "redakteur"), desk["article"], comment="Quelle?", follow=True
    )

    state = workflow_state(desk)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Quelle?"
    assert "“Haushalt beschlossen”: changes requested; it goes back to Anna Autorin." in (
        messages(response)
    )
    permissions = article(desk).permissions_for_user(desk["autor"])
    assert permissions.can_edit()
    assert not permissions.page_locked()


def test_cvd_requests_changes_and_the_resubmission_returns_to_the_cvd(desk):
    reviewed(desk)
    editor.reject(as_user(desk, "cvd"), desk["article"], comment="Titel zu lang.")
    autor = as_user(desk, "autor")
    page = autor.get(editor.edit_url(desk["article"])).content.decode()
    assert "Next: revise and resubmit; it returns to Freigabe durch CvD." in page

    editor.press(
        autor, desk["article"], changes={"title": "Haushalt steht"}, **{"action-submit": "1"}
    )

    assert current_step(desk) == APPROVAL_TASK_NAME
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert (rejected.comment, rejected.finished_by) == ("Titel zu lang.", desk["cvd"])


# Cancel


@pytest.mark.parametrize("name", ["autor", "redakteur"])
def test_the_autor_or_the_reviewer_cancels_the_review(desk, name):
    submitted(desk)

    response = editor.cancel_workflow(as_user(desk, name), desk["article"], follow=True)

    assert workflow_state(desk).status == WorkflowState.STATUS_CANCELLED
    assert "Workflow on page 'Haushalt beschlossen' has been cancelled. View draft Edit" in (
        messages(response)
    )
    assert not article(desk).permissions_for_user(desk["autor"]).page_locked()


def test_the_cvd_cancels_at_his_step(desk):
    reviewed(desk)

    editor.cancel_workflow(as_user(desk, "cvd"), desk["article"])

    assert workflow_state(desk).status == WorkflowState.STATUS_CANCELLED
    assert not article(desk).live


# Scheduling by someone who does not review the current step


def test_the_autor_plans_the_go_live_time_and_the_approvals_keep_it(desk):
    go_live_at = in_two_days()
    autor = as_user(desk, "autor")
    editor.save_schedule(autor, desk["article"], go_live_at=go_live_at)
    editor.submit(autor, desk["article"])

    editor.approve(as_user(desk, "redakteur"), desk["article"])
    editor.approve(as_user(desk, "cvd"), desk["article"])

    assert article(desk).scheduled_revision.approved_go_live_at == go_live_at


@pytest.mark.parametrize(("name", "step"), [("autor", REVIEW_TASK_NAME), ("cvd", REVIEW_TASK_NAME)])
def test_no_one_outside_the_current_step_changes_the_schedule(desk, name, step):
    submitted(desk)
    client = as_user(desk, name)

    page = client.get(editor.edit_url(desk["article"])).content.decode()
    assert "Approve with this schedule" not in page
    response = editor.save_schedule(client, desk["article"], go_live_at=in_two_days(), follow=True)

    assert "The page could not be saved as it is locked." in messages(response)
    assert article(desk).get_latest_revision_as_object().go_live_at is None
    assert current_step(desk) == step


def test_the_redakteur_does_not_change_the_schedule_at_the_cvd_step(desk):
    reviewed(desk)
    client = as_user(desk, "redakteur")

    response = editor.save_schedule(client, desk["article"], go_live_at=in_two_days(), follow=True)

    assert "The page could not be saved as it is locked." in messages(response)
    assert article(desk).get_latest_revision_as_object().go_live_at is None
    assert current_step(desk) == APPROVAL_TASK_NAME


# What the status panel and the schedule dialog say


def test_the_status_panel_says_what_comes_next_and_when_it_goes_live(desk):
    autor = as_user(desk, "autor")
    draft = autor.get(editor.edit_url(desk["article"])).content.decode()
    assert "Next: submit it to “Redaktionelle Freigabe”." in draft
    assert "Goes live: at once, with the last approval." in draft

    submitted(desk)
    redakteur = as_user(desk, "redakteur")
    in_review = redakteur.get(editor.edit_url(desk["article"])).content.decode()
    assert "Next: Redaktionsprüfung by Redakteur." in in_review
    assert "Then: Freigabe durch CvD." in in_review
    assert "Approve with this schedule" in in_review
    assert "This schedule takes effect with the last approval (Freigabe durch CvD)." in in_review

    editor.approve(redakteur, desk["article"])
    go_live_at = in_two_days()
    cvd = as_user(desk, "cvd")
    at_cvd = cvd.get(editor.edit_url(desk["article"])).content.decode()
    assert "Next: Freigabe durch CvD by Chef vom Dienst." in at_cvd
    assert "Then:" not in at_cvd
    assert "Your approval makes this schedule take effect." in at_cvd
    editor.approve(cvd, desk["article"], changes={"go_live_at": editor.local(go_live_at)})

    scheduled = cvd.get(editor.edit_url(desk["article"])).content.decode()
    assert f"Approved. Goes live: {zeitpunkt_genau(go_live_at)}." in scheduled
    assert "Next:" not in scheduled


@pytest.mark.parametrize(("stage", "queries"), [("draft", 6), ("in review", 7), ("scheduled", 6)])
def test_the_status_reads_in_a_fixed_number_of_queries(
    desk, django_assert_num_queries, stage, queries
):
    if stage != "draft":
        reviewed(desk)
    if stage == "scheduled":
        editor.approve(
            as_user(desk, "cvd"),
            desk["article"],
            changes={"go_live_at": editor.local(in_two_days())},
        )
    page = article(desk).get_latest_revision_as_object()

    with django_assert_num_queries(queries):
        desk_status(page=page)
