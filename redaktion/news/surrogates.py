"""The surrogate keys of the reader site (``keys``; carried by ``redaktion.core.surrogate``).

* Every article loaded while a response is built names itself (``post_init``): a teaser,
  a river, a related list or a feed item shows an article only after loading it, so none
  can forget its key. An article loaded but not shown costs an extra purge, never a stale
  page.
* Every page Wagtail serves names itself (``before_serve_page``).
* The pages name the listings they show in ``models.py`` (home, Ressort, topic, author,
  archive; an article its Ressort's page, whose title it shows); the river tag names
  ``river``.
"""

from django.db.models.signals import post_init
from django.dispatch import receiver
from wagtail import hooks

from redaktion.core import surrogate

from . import keys
from .models import ArticlePage, LiveTickerPage


@receiver(post_init, sender=ArticlePage)
@receiver(post_init, sender=LiveTickerPage)
def article_loaded(sender, instance, **kwargs):
    if instance.pk is not None:
        surrogate.add_keys(None, keys.article(instance.pk))


@hooks.register("before_serve_page")
def name_served_page(page, request, serve_args, serve_kwargs):
    surrogate.add_keys(request, keys.page(page.pk))
