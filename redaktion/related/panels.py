"""The article editor's view of "Mehr zum Thema": what the engine suggests right now, and
the list of blocked articles next to the editor's picks."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel, Panel


class SuggestionsPanel(Panel):
    """Read-only: the stored suggestions with their scores, marking picks and blocks."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "related/panels/suggestions.html"

        def get_context_data(self, parent_context=None):
            from .selectors import suggestions_for

            context = super().get_context_data(parent_context)
            article = self.instance
            rows = []
            if article.pk:
                picked = {pick.article_id for pick in article.related_picks.all()}
                blocked = {block.article_id for block in article.related_blocks.all()}
                for page, score in suggestions_for(article, weight=0.0):
                    rows.append(
                        {
                            "page": page,
                            "score": score,
                            "picked": page.pk in picked,
                            "blocked": page.pk in blocked,
                        }
                    )
            context["suggestions"] = rows
            return context


def article_panels() -> list[Panel]:
    return [
        InlinePanel(
            "related_blocks",
            label=_("Mehr zum Thema (never show)"),
            help_text=_("Articles the engine must never suggest under this one."),
        ),
        SuggestionsPanel(heading=_("Mehr zum Thema (engine's suggestions)")),
    ]


def add_article_panels() -> None:
    """Adds the block list and the suggestions after the picks in the article editor."""
    from redaktion.news.models import ArticlePage

    panels = ArticlePage.content_panels
    if any(getattr(panel, "relation_name", None) == "related_blocks" for panel in panels):
        return
    position = next(
        (
            i + 1
            for i, panel in enumerate(panels)
            if getattr(panel, "relation_name", None) == "related_picks"
        ),
        len(panels),
    )
    panels[position:position] = article_panels()
