"""The article editor shows the engine's suggestions and the list of blocked articles."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from redaktion.related.models import RelatedBlock, RelatedPick, Suggestion

pytestmark = pytest.mark.django_db


def test_edit_view_shows_suggestions_with_scores_and_the_block_list(
    client, django_user_model, articles
):
    editor = django_user_model.objects.create_superuser("chefin", "chefin@example.org", "geheim")
    # The admin speaks each editor's language (German by default); read the English labels.
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    page = articles["klima"][-1]
    top = Suggestion.objects.filter(article=page).order_by("-score").select_related("suggested")[0]
    page.related_picks = [RelatedPick(article=top.suggested)]
    page.save_revision()  # the editor shows the latest revision
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mehr zum Thema (engine" in html
    assert top.suggested.title in html
    score = f"{top.score:.3f}"
    assert score in html or score.replace(".", ",") in html  # the editor's locale decides
    assert "picked" in html
    assert 'id="id_related_blocks-TOTAL_FORMS"' in html


def test_blocking_in_the_editor_hides_the_article(client, django_user_model, articles):
    from redaktion.related.selectors import related_for

    page = articles["wirtschaft"][-1]
    victim = related_for(page, limit=1)[0]
    RelatedBlock.objects.create(page=page, article=victim)
    page = type(page).objects.get(pk=page.pk)
    assert victim not in related_for(page, limit=11)
