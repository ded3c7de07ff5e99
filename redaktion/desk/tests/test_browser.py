"""The desk's review paths in a real Chromium, in the German admin at 1366×900: approve,
approve with a schedule, edit then approve, request changes with a comment, cancel, and a
schedule planned by someone who does not review the current step; and the article going
live at its time.

Each editor works in a browser context of their own, logged in by session cookie, and
starts in the article's editor; the tests count the clicks each one needs (typing a time is
not a click) and assert them, so the counts in docs/architecture.md ("Write path") stay
true. A step a test does not count (the submission before a review, say) is sent as the
editor's form would send it (``editor.py``, as in test_review.py): a browser's step costs
seconds, and test_approve_at_each_step clicks every step of the way.
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from playwright.sync_api import expect
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from redaktion.core.templatetags.redaktion_tags import zeitpunkt_genau
from redaktion.desk.services import CHEF_VOM_DIENST, REDAKTEUR, desk_setup
from redaktion.news.factories import AuthorFactory
from redaktion.news.models import ArticleAuthor, ArticlePage, HomePage
from redaktion.news.tests.test_browser import ensure_site_tree

from . import editor as form
from .editor import edit_url, local
from .helpers import make_article, make_autor, make_ressort, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORT = {"width": 1366, "height": 900}
TITLE = "Haushalt beschlossen"
SUBMIT = "In Redaktionelle Freigabe einreichen"
APPROVE = "Freigeben"
APPROVE_AND_PUBLISH = "Freigeben und Veröffentlichen"
APPROVE_AND_SCHEDULE = "Freigeben und einplanen"
APPROVE_WITH_SCHEDULE = "Mit diesem Zeitplan freigeben"
# True once the editor's form holds nothing its autosave has still to send: no save under
# way or waiting to retry, and no edit since the last one (Wagtail's unsaved-changes
# controller compares the form with what it last saved; it knows nothing before its first
# look, two seconds after load). An autosave that stopped (switched off, or paused by an
# error it shows) has nothing more to send.
_AUTOSAVED = """() => {
  const form = document.querySelector("form[data-edit-form]");
  if (!form) return true;
  const app = window.wagtail && window.wagtail.app;
  if (!app) throw new Error("no Stimulus application at window.wagtail.app");
  const autosave = app.getControllerForElementAndIdentifier(form, "w-autosave");
  const indicator = document.getElementById("w-autosave-indicator");
  if (!autosave || !autosave.activeValue) return true;
  if (indicator && indicator.dataset.wAutosaveStateValue === "paused") return true;
  if (autosave.submitPromise || autosave.retryTimeout) return false;
  const unsaved = app.getControllerForElementAndIdentifier(form, "w-unsaved");
  return !unsaved || !unsaved.initialFormData || unsaved.formData === unsaved.initialFormData;
}"""


class Editor:
    """One desk member in a browser of their own, counting the clicks they make."""

    def __init__(self, chromium, live_server, user):
        self.user = user
        self.base = live_server.url
        self.context = chromium.new_context(viewport=VIEWPORT, locale="de-DE")
        # The admin's editor loads a megabyte of script from the test server: with a test
        # process per core, a save's navigation can take longer than Playwright's 30 s.
        self.context.set_default_timeout(90_000)
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.base,
                }
            ]
        )
        self.page = self.context.new_page()
        self.clicks = 0
        # Requests the live server may still be answering: the editor pings and autosaves
        # in the background, and the in-memory SQLite database locks whole tables.
        self.in_flight = 0
        self.context.on("request", lambda request: self._count(1))
        self.context.on("requestfinished", lambda request: self._count(-1))
        self.context.on("requestfailed", lambda request: self._count(-1))

    def _count(self, change):
        self.in_flight += change

    def open(self, article):
        """Open the article in the editor (where every count starts), and wait for the
        editor's first report of other sessions."""
        with self.page.expect_response(lambda response: "/editing-sessions/ping/" in response.url):
            self.page.goto(self.base + edit_url(article))
        self.no_false_warning()

    def autosaved(self):
        """Wait until the editor's autosave has sent every edit and what it answered is in
        place, as an editor waits for the "saved" mark before pressing an action.

        An autosave's answer can change the form (its address, its revision, the footer's
        actions, which a new page's editor loads again); an action sent while one is under
        way is refused as made on an old revision. Under load in CI a submission sent then
        left a new article without its review."""
        self.page.wait_for_function(_AUTOSAVED, polling=100)

    def click(self, locator, *, navigates=False):
        """Click ``locator``; with ``navigates``, once the autosave is done, and then wait
        until the page it leads to has loaded.

        That is the next document's ``load`` event, not Playwright's navigation: the editor's
        autosave moves the address from the create view to the edit view with the history
        API, which counts as a navigation, and once in CI a test read the database while the
        request the click sent was still being answered."""
        self.clicks += 1
        if navigates:
            self.autosaved()
            with self.page.expect_event("load"):
                locator.click()
        else:
            locator.click()

    def menu(self, label):
        """Press a footer action: one click when it is the primary button, else two (the
        "more actions" toggle, then the action)."""
        self.autosaved()
        primary = self.page.locator("footer .w-dropdown-button > button").first
        if " ".join(primary.inner_text().split()) == label:
            self.click(primary, navigates=True)
            return
        self.click(self.page.locator("footer .w-dropdown__toggle").first)
        item = self.page.locator("footer .w-dropdown__content").get_by_role(
            "button", name=label, exact=True
        )
        item.wait_for(state="visible")
        self.click(item, navigates=True)

    def menu_labels(self) -> list[str]:
        toggle = self.page.locator("footer .w-dropdown__toggle").first
        toggle.click()
        labels = self.page.locator("footer .w-dropdown__content button").all_inner_texts()
        toggle.click()
        return [label.strip() for label in labels]

    def status_panel(self):
        panel = self.page.locator("[data-side-panel='status']")
        if not panel.is_visible():
            self.click(self.page.locator("[data-side-panel-toggle='status']"))
        panel.wait_for(state="visible")
        return panel

    def schedule(self, go_live_at, button):
        """In the status panel's dialog: type the go-live time and press ``button``."""
        panel = self.status_panel()
        self.click(panel.get_by_role("button", name="Zeitplan festlegen"))
        dialog = self.page.locator("#schedule-publishing-dialog")
        field = dialog.locator("input[name=go_live_at]")
        picker = self.page.locator(".xdsoft_datetimepicker:visible")
        self.click(field)
        expect(picker).to_have_count(1)
        field.fill(local(go_live_at))
        # The date picker stays open over the buttons (Tab would open the next field's):
        # one click beside it closes it.
        self.click(dialog.locator(".w-dialog__title"))
        expect(picker).to_have_count(0)
        self.click(dialog.get_by_role("button", name=button), navigates=True)

    def published(self):
        """Wait for the page that says the article went live (the page the publishing
        request leads to) before the test reads the database: once, in CI under load, the
        database was read too early and the article was not live yet."""
        expect(self.page.locator(".messages")).to_contain_text("freigegeben und online")

    def messages(self) -> list[str]:
        return [
            " ".join(text.split()) for text in self.page.locator(".messages li").all_inner_texts()
        ]

    def no_false_warning(self):
        """No "Sie haben eine neue Version in einem anderen Fenster gespeichert": each
        editor works in one window here."""
        saved_elsewhere = self.page.locator(".w-editing-sessions__session--saved")
        assert saved_elsewhere.count() == 0, saved_elsewhere.all_inner_texts()

    def close(self):
        """Stop the editor's background requests, let the server answer those under way,
        then close the browser."""
        self.context.route("**/*", lambda route: route.abort())
        for _ in range(100):
            if self.in_flight <= 0:
                break
            self.page.wait_for_timeout(50)
        self.context.close()


def ensure_permissions() -> None:
    """Content types and permissions as `migrate` leaves them: like the page tree (see
    ensure_site_tree), they are gone after a flush in the runs without a serialized copy of
    the database, and the desk's groups need them. post_migrate creates them again, as
    Django does after a flush."""
    if Permission.objects.exists():
        return
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)


class Desk(dict):
    """The article and the people's editors, each opened at its first use: a browser
    context costs a renderer process, and most tests need only some of the people."""

    def __init__(self, article, people, chromium, live_server):
        super().__init__(article=article)
        self.people = people
        self._open = (chromium, live_server)

    def __missing__(self, name):
        editor = self[name] = Editor(*self._open, self.people[name])
        return editor

    def client(self, name) -> Client:
        """``name``'s browser without a browser: the editor's form, sent by Django's client."""
        client = Client()
        client.force_login(self.people[name])
        return client

    def close(self):
        for value in self.values():
            if isinstance(value, Editor):
                value.close()


@pytest.fixture
def desk(live_server, chromium):
    """The desk's groups and workflow, one person per group (admin in German), and an
    Autor's draft in Politik."""
    ensure_permissions()
    ensure_site_tree()
    desk_setup()
    politik = make_ressort(HomePage.objects.get(depth=2), "Politik")
    people = {
        "autor": make_autor("anna", politik),
        "redakteur": make_user("rita", REDAKTEUR),
        "cvd": make_user("carl", CHEF_VOM_DIENST),
    }
    for user, (first, last) in zip(
        people.values(),
        [("Anna", "Autorin"), ("Rita", "Redakteurin"), ("Carl", "Chef")],
        strict=True,
    ):
        user.first_name, user.last_name = first, last
        user.save()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "de"
        profile.save()
    article = make_article(
        politik,
        TITLE,
        owner=people["autor"],
        live=False,
        article_authors=[ArticleAuthor(author=AuthorFactory(name="Anna Autorin"))],
    )
    article.save_revision(user=people["autor"])
    desk = Desk(article, people, chromium, live_server)
    yield desk
    desk.close()


def fresh(desk) -> ArticlePage:
    return ArticlePage.objects.get(pk=desk["article"].pk)


def step(desk) -> str | None:
    state = WorkflowState.objects.for_instance(desk["article"]).order_by("-pk").first()
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    return state.current_task_state.task.name


def in_two_days():
    return (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)


def submit(desk):
    autor = desk["autor"]
    autor.open(desk["article"])
    autor.menu(SUBMIT)
    assert step(desk) == "Redaktionsprüfung"


def review(desk):
    submit(desk)
    redakteur = desk["redakteur"]
    redakteur.open(desk["article"])
    redakteur.menu(APPROVE)
    assert step(desk) == "Freigabe durch CvD"


def submitted(desk):
    """The Autor's submission, as the editor's form sends it (its clicks are not counted)."""
    form.submit(desk.client("autor"), desk["article"])
    assert step(desk) == "Redaktionsprüfung"


def reviewed(desk):
    """Submitted, and approved by the Redakteur, as the editor's form sends it."""
    submitted(desk)
    form.approve(desk.client("redakteur"), desk["article"])
    assert step(desk) == "Freigabe durch CvD"


def test_approve_at_each_step(desk):
    review(desk)
    cvd = desk["cvd"]
    cvd.open(desk["article"])
    panel = cvd.status_panel()
    assert "Als Nächstes: Freigabe durch CvD durch Chef vom Dienst." in panel.inner_text()
    assert "Geht online: sofort mit der letzten Freigabe." in panel.inner_text()
    cvd.menu(APPROVE_AND_PUBLISH)
    cvd.published()

    assert fresh(desk).live
    assert "„Haushalt beschlossen“: freigegeben und online." in cvd.messages()
    assert "„Haushalt beschlossen“: freigegeben. Als Nächstes: Freigabe durch CvD durch " in (
        " ".join(desk["redakteur"].messages())
    )
    assert (desk["autor"].clicks, desk["redakteur"].clicks, cvd.clicks) == (2, 2, 3)


def test_the_autor_writes_a_new_article_and_submits_it(desk):
    """From the Ressort's page list to an article in review: the Autor adds a subpage,
    chooses "Artikel" (a Ressort also takes Livetickers), types headline, lead and a
    paragraph, picks the byline, and submits."""
    autor = desk["autor"]
    politik = desk["article"].get_parent()
    autor.page.goto(autor.base + reverse("wagtailadmin_explore", args=[politik.pk]))
    header = autor.page.locator("#w-slim-header-buttons")
    autor.click(header.get_by_role("link", name="Unterseite hinzufügen"), navigates=True)
    autor.click(autor.page.get_by_role("link", name="Artikel", exact=True), navigates=True)
    assert autor.page.url.endswith(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", politik.pk])
    )

    autor.page.locator("#id_title").fill("Rentenpaket verabschiedet")
    autor.page.locator("[name=lead]").fill("Der Bundestag stimmt zu.")
    body = autor.page.locator("[data-contentpath='body']")
    autor.click(body.locator("button[title='Einen Block einfügen']").first)
    autor.click(autor.page.get_by_role("option", name="Absatz"))
    body.locator("[contenteditable=true]").first.press_sequentially("Mit knapper Mehrheit.")
    byline = autor.page.locator("#id_article_authors-0-author-chooser")
    autor.click(byline.get_by_role("button", name="Autor auswählen"))
    modal = autor.page.locator(".modal-content")
    autor.click(modal.get_by_role("link", name="Anna Autorin").first)
    expect(modal).to_be_hidden()
    autor.menu(SUBMIT)

    article = ArticlePage.objects.get(title="Rentenpaket verabschiedet")
    assert not article.live
    assert article.owner == autor.user
    assert [byline.author.name for byline in article.article_authors.all()] == ["Anna Autorin"]
    assert [strip_tags(block.value.source) for block in article.body] == ["Mit knapper Mehrheit."]
    state = WorkflowState.objects.for_instance(article).get()
    assert state.current_task_state.task.name == "Redaktionsprüfung"
    # "+" (Unterseite hinzufügen) and "Artikel"; the body's "+" (Einen Block einfügen) and
    # "Absatz"; "Autor auswählen" and the author; "Mehr Aktionen" and "In Redaktionelle
    # Freigabe einreichen". Typing headline, lead and paragraph is not counted.
    assert autor.clicks == 8


def test_cvd_approves_and_schedules_in_one_action(desk, tmp_path):
    reviewed(desk)
    cvd = desk["cvd"]
    go_live_at = in_two_days()
    cvd.open(desk["article"])

    cvd.schedule(go_live_at, APPROVE_AND_SCHEDULE)

    when = zeitpunkt_genau(go_live_at)
    assert f"„Haushalt beschlossen“: freigegeben. Geht online: {when}." in cvd.messages()
    article = fresh(desk)
    assert not article.live
    assert article.scheduled_revision.approved_go_live_at == go_live_at
    assert step(desk) is None
    # Status panel, "Zeitplan festlegen", the time field, beside the date picker, approve.
    assert cvd.clicks == 5

    cvd.open(desk["article"])
    panel = cvd.status_panel()
    assert f"Freigegeben. Geht online: {when}." in panel.inner_text()
    assert "Als Nächstes" not in panel.inner_text()
    cvd.page.screenshot(path=tmp_path / "approved-and-scheduled.png")


def test_redakteur_approves_with_a_schedule_and_the_cvd_makes_it_effective(desk):
    submitted(desk)
    redakteur, cvd = desk["redakteur"], desk["cvd"]
    go_live_at = in_two_days()
    redakteur.open(desk["article"])

    redakteur.schedule(go_live_at, APPROVE_WITH_SCHEDULE)

    assert step(desk) == "Freigabe durch CvD"
    assert fresh(desk).scheduled_revision is None
    cvd.open(desk["article"])
    assert f"Geht online: {zeitpunkt_genau(go_live_at)}, mit der letzten Freigabe." in (
        cvd.status_panel().inner_text()
    )
    assert APPROVE_AND_SCHEDULE in cvd.menu_labels()
    cvd.menu(APPROVE_AND_SCHEDULE)

    assert fresh(desk).scheduled_revision.approved_go_live_at == go_live_at
    assert (redakteur.clicks, cvd.clicks) == (5, 3)


def test_edit_then_approve_counts_as_the_approval(desk):
    submitted(desk)
    redakteur, cvd = desk["redakteur"], desk["cvd"]
    redakteur.open(desk["article"])
    redakteur.page.locator("[name=lead]").fill("Vom Redakteur gekürzt.")
    redakteur.menu(APPROVE)
    assert step(desk) == "Freigabe durch CvD"  # once, not twice

    cvd.open(desk["article"])
    cvd.page.locator("[name=lead]").fill("Vom CvD geschärft.")
    cvd.no_false_warning()
    cvd.menu(APPROVE_AND_PUBLISH)
    cvd.published()

    article = fresh(desk)
    assert article.live
    assert article.lead == "Vom CvD geschärft."
    assert "„Haushalt beschlossen“: freigegeben und online." in cvd.messages()
    assert (redakteur.clicks, cvd.clicks) == (2, 2)


@pytest.mark.parametrize("reviewer", ["redakteur", "cvd"])
def test_request_changes_with_a_comment(desk, reviewer):
    (submitted if reviewer == "redakteur" else reviewed)(desk)
    rejected_at = step(desk)
    editor = desk[reviewer]
    editor.open(desk["article"])
    editor.click(editor.page.locator("footer .w-dropdown__toggle").first)
    editor.click(editor.page.get_by_role("button", name="Änderungen anfordern", exact=True))
    modal = editor.page.locator(".modal-content")
    editor.click(modal.locator("textarea[name=comment]"))
    modal.locator("textarea[name=comment]").fill("Bitte die Quelle nennen.")
    editor.click(modal.get_by_role("button", name="Änderungen anfordern"), navigates=True)

    assert (
        "„Haushalt beschlossen“: Änderungen angefordert; der Artikel geht zurück an Anna Autorin."
        in editor.messages()
    )
    assert editor.clicks == 4
    autor = desk["autor"]
    autor.open(desk["article"])
    assert (
        f"Als Nächstes: überarbeiten und erneut einreichen; dann wieder {rejected_at}."
        in autor.status_panel().inner_text()
    )
    assert "Bitte die Quelle nennen." in autor.page.content()
    autor.page.locator("[name=lead]").fill("Mit Quelle.")
    autor.menu(f"Erneut in {rejected_at} einreichen")
    assert step(desk) == rejected_at


def test_the_autor_cancels_the_review(desk):
    submitted(desk)
    autor = desk["autor"]
    autor.open(desk["article"])
    autor.menu("Workflow abbrechen")

    assert step(desk) is None
    assert autor.clicks == 1  # the footer's primary button while in review
    assert any("wurde abgebrochen" in message for message in autor.messages())
    panel = autor.status_panel()
    assert "Als Nächstes: in „Redaktionelle Freigabe“ einreichen." in panel.inner_text()


def test_a_schedule_planned_by_the_autor_is_kept_and_only_the_step_reviewer_may_change_it(
    desk,
):
    autor, redakteur, cvd = desk["autor"], desk["redakteur"], desk["cvd"]
    go_live_at = in_two_days()
    autor.open(desk["article"])
    autor.schedule(go_live_at, "Zeitplan speichern")
    autor.menu(SUBMIT)
    # Status panel, "Zeitplan festlegen", the time field, beside the date picker, "Zeitplan
    # speichern"; then the menu and "In Redaktionelle Freigabe einreichen".
    assert autor.clicks == 7

    # Outside the current step the page is locked: no schedule to change, no approval.
    cvd.open(desk["article"])
    panel = cvd.status_panel()
    assert (
        f"Geht online: {zeitpunkt_genau(go_live_at)}, mit der letzten Freigabe."
        in panel.inner_text()
    )
    assert panel.get_by_role("button", name="Zeitplan bearbeiten").count() == 0
    assert cvd.page.locator("footer").get_by_text("Seite gesperrt").is_visible()

    form.approve(desk.client("redakteur"), desk["article"])
    assert step(desk) == "Freigabe durch CvD"
    redakteur.open(desk["article"])
    assert redakteur.status_panel().get_by_role("button", name="Zeitplan bearbeiten").count() == 0

    cvd.open(desk["article"])
    cvd.menu(APPROVE_AND_SCHEDULE)
    assert fresh(desk).scheduled_revision.approved_go_live_at == go_live_at


def test_the_article_goes_live_at_its_time(desk, chromium, live_server):
    """Through the worker's scheduler, as `redaktion worker` runs it: the reader finds the
    article at its URL and on its Ressort's page from its time on, and not before."""
    reviewed(desk)
    go_live_at = (timezone.now() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    # "Freigeben und einplanen", as the schedule dialog sends it (test_cvd_approves_and_
    # schedules_in_one_action clicks it).
    form.approve(desk.client("cvd"), desk["article"], changes={"go_live_at": local(go_live_at)})
    assert fresh(desk).scheduled_revision.approved_go_live_at == go_live_at
    url = live_server.url + fresh(desk).get_url()
    ressort_url = live_server.url + fresh(desk).get_parent().get_url()
    # Two readers, so that the second one's browser has no copy of the page the first one
    # saw: what each sees comes from the site (and its page cache).
    before, after = (
        chromium.new_context(viewport=VIEWPORT, locale="de-DE").new_page() for _ in range(2)
    )

    def worker_once() -> str:
        out = StringIO()
        call_command("redaktion_worker", "--once", stdout=out, stderr=StringIO())
        return out.getvalue()

    def teasers(reader):
        return reader.locator("main").get_by_role("link", name=TITLE)

    try:
        with time_machine.travel(go_live_at - timedelta(minutes=1)):
            assert "0 veröffentlicht" in worker_once()
            assert before.goto(url).status == 404
            assert before.goto(ressort_url).status == 200
            expect(before.locator("h1")).to_have_text("Politik")
            expect(teasers(before)).to_have_count(0)
        with time_machine.travel(go_live_at + timedelta(seconds=30)):
            assert "1 veröffentlicht, 0 depubliziert, 0 verpasst, 0 verspätet" in worker_once()
            response = after.goto(url)
            assert response.status == 200
            assert after.locator("h1").inner_text() == TITLE
            # The Ressort's page cached before is purged when the article goes live.
            assert after.goto(ressort_url).status == 200
            expect(teasers(after).first).to_be_visible()
        assert fresh(desk).live
    finally:
        before.context.close()
        after.context.close()
