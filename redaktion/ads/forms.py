"""Request input of the ad endpoints, validated by Django forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .delivery import MAX_SLOTS_PER_REQUEST
from .models import Placement

MAX_TOPICS = 30


class IdListField(forms.Field):
    """Repeated query parameters (``?topic=3&topic=5``) as a list of positive ids."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not an id."),
        "too_many": _("At most %(limit)d values."),
    }

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        ids = []
        for item in value or []:
            if not item.isdigit() or len(item) > 18 or int(item) < 1:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": item[:20]}
                )
            ids.append(int(item))
        if len(ids) > self.max_count:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": self.max_count}
            )
        return ids


class WidthListField(IdListField):
    """Repeated widths in CSS pixels (``?width=358&width=300``)."""

    default_error_messages = {"invalid": _("“%(value)s” is not a width in pixels.")}


class DecisionForm(forms.Form):
    """``?slot=river&slot=article_bottom&ressort=12&topic=3&topic=5&width=358&width=300``:
    the page's slots in order (a slot may repeat), its Ressort, its topics, and the slots'
    widths at the reader's screen in the order of the slots."""

    slot = forms.MultipleChoiceField(choices=Placement.choices)
    ressort = forms.IntegerField(required=False, min_value=1)
    topic = IdListField(required=False, max_count=MAX_TOPICS)
    width = WidthListField(required=False, max_count=MAX_SLOTS_PER_REQUEST)

    def clean_slot(self) -> list[str]:
        # MultipleChoiceField keeps repeats and order, which the page's slots need.
        slots = self.cleaned_data["slot"]
        if len(slots) > MAX_SLOTS_PER_REQUEST:
            raise forms.ValidationError(
                _("At most %(limit)d slots per request."),
                code="too_many",
                params={"limit": MAX_SLOTS_PER_REQUEST},
            )
        return slots
