import pytest
from wagtail.models import WorkflowState

from redaktion.desk.services import (
    APPROVAL_TASK_NAME,
    CHEF_VOM_DIENST,
    REDAKTEUR,
    REVIEW_TASK_NAME,
    desk_setup,
)

from .helpers import make_article, make_autor, make_ressort, make_user


@pytest.fixture
def submitted(home_page):
    """A draft by an Autor, submitted to the desk's workflow."""
    desk_setup()
    politik = make_ressort(home_page, "Politik")
    autor = make_autor("anna", politik)
    article = make_article(politik, "Haushalt beschlossen", owner=autor, live=False)
    article.save_revision(user=autor)
    state = article.get_workflow().start(article, autor)
    return {
        "article": article,
        "autor": autor,
        "state": state,
        "redakteur": make_user("rita", REDAKTEUR),
        "cvd": make_user("carl", CHEF_VOM_DIENST),
    }


def current_task(state):
    state.refresh_from_db()
    task_state = state.current_task_state
    return task_state, task_state.task.specific


def act(state, user, action):
    task_state, task = current_task(state)
    task.on_action(task_state, user, action)


def test_review_then_approval_publishes_the_article(submitted):
    state, article = submitted["state"], submitted["article"]

    task_state, task = current_task(state)
    assert task.name == REVIEW_TASK_NAME
    assert task.get_actions(article, submitted["cvd"]) == []
    act(state, submitted["redakteur"], "approve")

    task_state, task = current_task(state)
    assert task.name == APPROVAL_TASK_NAME
    assert task.get_actions(article, submitted["redakteur"]) == []
    article.refresh_from_db()
    assert not article.live
    act(state, submitted["cvd"], "approve")

    state.refresh_from_db()
    article.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert article.live


def test_rejection_sends_the_article_back_to_the_autor(submitted):
    state, article, autor = submitted["state"], submitted["article"], submitted["autor"]

    assert article.permissions_for_user(autor).page_locked()
    act(state, submitted["redakteur"], "reject")

    state.refresh_from_db()
    article.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not article.live
    permissions = article.permissions_for_user(autor)
    assert permissions.can_edit()
    assert not permissions.page_locked()
