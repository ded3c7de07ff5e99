"""The article editor speaks the newsroom's German, including labels Wagtail brings along."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, WorkflowState
from wagtail.users.models import UserProfile

from redaktion.desk.services import CHEF_VOM_DIENST, REDAKTEUR, desk_setup
from redaktion.news.factories import AuthorFactory, ImageFactory
from redaktion.news.models import ArticleAuthor

from . import editor
from .helpers import make_article, make_autor, make_ressort, make_user


def test_article_editor_says_ueberschrift_and_the_collection_medien(client, home_page):
    article = make_article(make_ressort(home_page, "Politik"), "Wahl in Hessen")
    german_editor(client)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert "Überschrift" in page and "in Teasern und in Feeds" in page
    assert "Seitentitel" not in page
    assert Collection.get_first_root_node().name == "Medien"


def german_editor(client):
    desk_setup()
    editor = make_user("clara", CHEF_VOM_DIENST)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "de"
    profile.save()
    client.force_login(editor)


def test_the_editor_warns_about_an_article_without_a_lead_image(client, home_page):
    politik = make_ressort(home_page, "Politik")
    without = make_article(politik, "Ohne Bild")
    with_image = make_article(politik, "Mit Bild", lead_image=ImageFactory())
    german_editor(client)
    warning = "Dieser Artikel hat kein Aufmacherbild"

    def editor_page(article):
        return client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert warning in editor_page(without)
    assert warning not in editor_page(with_image)


class _Texts(HTMLParser):
    """What a page says to its reader: text, and the labels of controls and landmarks."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()
        self._code = 0
        self._hidden: list[str] = []  # the tags open since a hidden element began

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden:
            self._hidden.append(tag)
            return
        if "hidden" in attrs and tag not in {"input", "img", "br"}:
            self._hidden.append(tag)
            return
        if tag in {"script", "style"}:
            self._code += 1
        for name in ("aria-label", "title", "placeholder", "alt"):
            self._add(attrs.get(name))
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            self._add(attrs.get("value"))

    def handle_endtag(self, tag):
        if self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
            return
        if tag in {"script", "style"}:
            self._code -= 1

    def handle_data(self, data):
        if not self._code and not self._hidden:
            self._add(data)

    def _add(self, text):
        text = " ".join((text or "").split())
        if re.search(r"[A-Za-z]{2}", text):
            self.texts.add(text)


def _said(client, user, url, language) -> set[str]:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        html = json.loads(html)["html"]
    parser = _Texts()
    parser.feed(html)
    return parser.texts


# The same in both languages and German: "Status", the domain noun "Ressort", a key's name,
# and the comment field's label, which Wagtail translates once, when it is imported.
SAME_IN_GERMAN = {"Status", "Status:", "Ressort", "Esc", "Kommentar"}


def test_every_label_on_the_desk_paths_is_german(client, home_page):
    """Each page an editor of each group sees on the way from a new draft to a scheduled
    article, read in German and in English: a text that stays the same in both (and is
    neither the newsroom's own data nor German in both) is a label left in English."""
    desk_setup()
    politik = make_ressort(home_page, "Politik")
    autor = make_autor("anna", politik)
    autor.first_name, autor.last_name = "Anna", "Autorin"
    autor.save()
    redakteur, cvd = make_user("rita", REDAKTEUR), make_user("carl", CHEF_VOM_DIENST)
    article = make_article(
        politik,
        "Haushalt beschlossen",
        owner=autor,
        live=False,
        article_authors=[ArticleAuthor(author=AuthorFactory(name="Anna Autorin"))],
    )
    article.save_revision(user=autor)
    edit = reverse("wagtailadmin_pages:edit", args=[article.pk])
    seen: dict[str, set[str]] = {}

    def read(step, user, url):
        german, english = _said(client, user, url, "de"), _said(client, user, url, "en")
        seen[step] = german & english
        assert german != english or not german, step

    read("Autor: dashboard", autor, reverse("wagtailadmin_home"))
    read("Autor: Ressort", autor, reverse("wagtailadmin_explore", args=[politik.pk]))
    read(
        "Autor: new article",
        autor,
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", politik.pk]),
    )
    read("Autor: draft", autor, edit)
    client.force_login(autor)
    editor.submit(client, article)
    read("Autor: submitted", autor, edit)
    read("Redakteur: review", redakteur, edit)
    task_state = WorkflowState.objects.get(status="in_progress").current_task_state
    read(
        "Redakteur: request changes",
        redakteur,
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "reject", task_state.pk]),
    )
    client.force_login(redakteur)
    editor.approve(client, article)
    read("Chef vom Dienst: approval", cvd, edit)
    client.force_login(cvd)
    go_live_at = timezone.now() + timedelta(days=2)
    editor.approve(client, article, changes={"go_live_at": editor.local(go_live_at)})
    read("Chef vom Dienst: scheduled", cvd, edit)
    read("Chef vom Dienst: schedule", cvd, reverse("desk_schedule"))

    data = {"Politik", "Startseite", "Haushalt beschlossen", "Anna Autorin", "Redaktion"}
    data |= {"Redaktionelle Freigabe", "Redaktionsprüfung", "Freigabe durch CvD"}
    data |= {"'Redaktionelle Freigabe'", "'Redaktionsprüfung'", "Vorspann zu Haushalt beschlossen."}
    data |= {"anna", "rita", "carl"}
    english = {
        step: sorted(
            text
            for text in texts - SAME_IN_GERMAN - data
            if not text.startswith("Ctrl + ") and not re.fullmatch(r"[\d.: ]+", text)
        )
        for step, texts in seen.items()
    }
    assert english == {step: [] for step in seen}
