"""What editors steer and learn: synonyms and boosts used by the search, the privacy-safe
query log and its report of zero-result and low-click queries."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from redaktion.search import selectors
from redaktion.search.models import QueryLogEntry, SearchBoost, SearchSettings

from .helpers import indexed, titles

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def search(text, ressorts, **kwargs):
    return selectors.search(text=text, ressort_list=list(ressorts.values()), **kwargs)


def test_a_synonym_finds_the_articles_of_the_other_word(ressorts):
    indexed(
        ressorts["Politik"],
        ("Etat beschlossen", "Der Etat des Landes steht."),
        ("Wetter", "Morgen regnet es im Norden."),
    )
    settings = SearchSettings(synonyms="Haushalt, Etat, Budget\nnur ein Wort\n")
    assert settings.synonym_groups() == [["Haushalt", "Etat", "Budget"]]
    assert titles(search("Haushalt", ressorts)) == []
    found = search("Haushalt", ressorts, synonyms=settings.synonym_groups())
    assert titles(found) == ["Etat beschlossen"]
    assert "etat" in found.marked


def test_the_results_page_uses_the_synonyms_of_the_site_settings(ressorts, client, home_page):
    indexed(ressorts["Politik"], ("Etat beschlossen", "Der Etat des Landes steht."))
    SearchSettings.objects.update_or_create(
        site=home_page.get_site(), defaults={"synonyms": "Budget, Etat"}
    )
    response = client.get("/suche/", {"q": "Budget"})
    assert "1 Artikel gefunden" in response.text
    assert "<mark>Etat</mark> beschlossen" in response.text


def test_an_editors_boost_lifts_the_article_for_its_word_only(ressorts):
    pages = indexed(
        ressorts["Politik"],
        {"title": "Vulkan bricht aus", "body": "Der Vulkan bricht aus. Vulkan!", "days_ago": 1},
        {"title": "Hintergrund", "body": "Wie ein Vulkan entsteht.", "days_ago": 2},
    )
    assert titles(search("Vulkan", ressorts))[0] == "Vulkan bricht aus"
    SearchBoost.objects.create(word="Vulkane", article=pages[1], factor=10.0)
    assert titles(search("Vulkan", ressorts))[0] == "Hintergrund"
    SearchBoost.objects.filter(article=pages[1]).update(word="Erdbeben")
    assert titles(search("Vulkan", ressorts))[0] == "Vulkan bricht aus"


def test_the_beacon_logs_query_count_and_rank_and_nothing_of_the_reader(client):
    url = reverse("search:query_log")
    headers = {"HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": "203.0.113.9"}
    client.cookies["sessionid"] = "reader-session"
    body = "q=%20Bundes%C2%ADHaushalt%20%20Kritik&n=12"
    response = client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    client.post(url, "q=kritik&n=12&r=3", content_type="text/plain", **headers)
    entries = list(QueryLogEntry.objects.order_by("pk").values())
    assert [(e["text"], e["results"], e["clicked_rank"]) for e in entries] == [
        ("bundes\xadhaushalt kritik", 12, None),
        ("kritik", 12, 3),
    ]
    fields = {f.name for f in QueryLogEntry._meta.get_fields()}
    assert fields == {"id", "day", "text", "results", "clicked_rank"}
    assert "203.0.113.9" not in str(entries) and "reader-session" not in str(entries)


@pytest.mark.parametrize(
    ("body", "agent", "status"),
    [
        ("q=&n=3", BROWSER, 400),
        ("q=vulkan&n=-1", BROWSER, 400),
        ("q=vulkan&n=3&r=0", BROWSER, 400),
        ("q=vulkan&n=3", "Googlebot/2.1 (+http://www.google.com/bot.html)", 204),
    ],
)
def test_the_beacon_refuses_bad_input_and_ignores_robots(client, body, agent, status):
    response = client.post(
        reverse("search:query_log"), body, content_type="text/plain", HTTP_USER_AGENT=agent
    )
    assert response.status_code == status
    assert not QueryLogEntry.objects.exists()


def test_the_results_page_carries_the_query_log_marker(ressorts, client):
    indexed(ressorts["Politik"], ("Vulkan", "Der Vulkan raucht."))
    response = client.get("/suche/", {"q": "Vulkan", "seite": 1})
    assert 'data-query-log="/suche/protokoll/"' in response.text
    assert 'data-results="1"' in response.text
    assert 'data-first-rank="1"' in response.text


def log(text, *, results, clicks=(), searches=1, day=date(2026, 3, 10)):
    for _ in range(searches):
        QueryLogEntry.objects.create(day=day, text=text, results=results)
    for rank in clicks:
        QueryLogEntry.objects.create(day=day, text=text, results=results, clicked_rank=rank)


@time_machine.travel("2026-03-12 10:00 +01:00", tick=False)
def test_the_report_lists_zero_result_and_low_click_queries(client):
    log("haushalsentwurf", results=0, searches=3)
    log("vulkan", results=0, searches=1)
    log("vulkan", results=4, searches=1)
    log("wahl", results=40, searches=10, clicks=[1])
    log("wetter", results=40, searches=10, clicks=[1, 2, 1, 1])
    log("selten", results=5, searches=2)
    log("alt", results=0, searches=5, day=date(2026, 1, 1))
    zero, low = selectors.query_log_report()
    assert [(q.text, q.zero_results, q.searches) for q in zero] == [
        ("haushalsentwurf", 3, 3),
        ("vulkan", 1, 2),
    ]
    assert [(q.text, q.searches, q.clicks) for q in low] == [("wahl", 10, 1)]
    admin = get_user_model().objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(admin)
    response = client.get(reverse("search_query_report"))
    assert response.status_code == 200
    assert "haushalsentwurf" in response.text and "wahl" in response.text
    assert "wetter" not in response.text and "alt</td>" not in response.text


def test_editors_manage_boosts_as_snippets(client):
    admin = get_user_model().objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(admin)
    assert client.get(reverse("wagtailsnippets_suche_searchboost:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_suche_searchboost:add")).status_code == 200


def test_a_log_entry_is_dated_by_the_day(client):
    with time_machine.travel("2026-03-12 23:59:30 +01:00", tick=False):
        client.post(
            reverse("search:query_log"),
            "q=vulkan&n=1",
            content_type="text/plain",
            HTTP_USER_AGENT=BROWSER,
        )
    assert QueryLogEntry.objects.get().day == date(2026, 3, 12)


def test_the_worker_keeps_the_query_log_to_its_days(settings, db):
    from redaktion.core.worker import scheduler_ran

    settings.SEARCH_LOG_DAYS = 90
    for day in (date(2026, 1, 1), date(2026, 3, 1), date(2026, 4, 1)):
        QueryLogEntry.objects.create(day=day, text="haushalt", results=3)
    with time_machine.travel("2026-05-15 12:00 +00:00", tick=False):
        reports = [report for _r, report in scheduler_ran.send_robust(sender=None, deadline=None)]
    assert "search: 1 old query log entries deleted" in reports
    assert sorted(QueryLogEntry.objects.values_list("day", flat=True)) == [
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
