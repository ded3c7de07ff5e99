"""StreamField blocks of the article body."""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from redaktion.core.text import plain_text

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("credit"), required=False, max_length=100, help_text=_("e.g. dpa")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news/blocks/quote.html"


class InfoBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    body = blocks.RichTextBlock(label=_("text"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "info-circle"
        label = _("Info box")
        template = "news/blocks/infobox.html"


class ConsentEmbedBlock(blocks.StructBlock):
    """Third-party content (video, post) that loads only after the reader agrees.

    The page itself carries only the URL; nothing is requested from the third party until
    the reader clicks, so cached pages stay identical for everyone and free of trackers.
    """

    url = blocks.URLBlock(label=_("URL"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        label = _("Embed (after consent)")
        template = "news/blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["provider"] = urlsplit(value["url"]).hostname or ""
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=PARAGRAPH_FEATURES, template="news/blocks/paragraph.html"
    )
    subheading = blocks.CharBlock(
        label=_("Subheading"), max_length=160, icon="title", template="news/blocks/subheading.html"
    )
    image = ImageBlock()
    quote = QuoteBlock()
    infobox = InfoBoxBlock()
    embed = ConsentEmbedBlock()


def body_text(body) -> str:
    """Plain text a reader reads in a body StreamField (paragraphs, headings, quotes, boxes,
    captions), in order; used for the word count and the search index."""
    parts: list[str] = []
    for child in body or []:
        value = child.value
        match child.block_type:
            case "paragraph":
                parts.append(plain_text(value.source))
            case "subheading":
                parts.append(str(value))
            case "quote":
                parts += [value["text"], value["attribution"]]
            case "infobox":
                parts += [value["title"], plain_text(value["body"].source)]
            case "image" | "embed":
                parts.append(value["caption"])
    return " ".join(p for p in parts if p)
