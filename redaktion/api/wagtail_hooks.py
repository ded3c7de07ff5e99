from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ApiKey


class ApiKeyViewSet(SnippetViewSet):
    """Keys are made with ``redaktion api_keys create`` (the key is shown once); here their
    limit is changed and they are switched off."""

    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    list_display = ["name", "prefix", "requests_per_minute", "active", "created_at"]
    add_to_admin_menu = False
    inspect_view_enabled = False


register_snippet(ApiKeyViewSet)
