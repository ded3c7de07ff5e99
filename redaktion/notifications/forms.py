"""Reader input of the notifications views: what the follow box, the manage page and the
follow box's push script send, cleaned into typed values for the services.

The forms check the shape (an address, ``kind:id`` follows, a known rhythm, an hour of the
day, a push subscription's endpoint and keys); the services check the rules that need the
database (followed targets must exist). ``error_text`` turns a form's errors into the one
message the views show.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from .messages import ascii_domain
from .models import FollowKind, Rhythm
from .services import MAX_FOLLOWS

HONEYPOT = "website"
MAX_ID = 2**63 - 1
BASE64URL = r"\A[A-Za-z0-9_-]+=*\Z"

ADDRESS_ERROR = _("Enter a valid email address.")
# The local part of an internationalised address (RFC 6531): RFC 5322's atoms, with any
# letter or digit of any script besides ASCII's.
LOCAL_PART = r"\A[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*\Z"

INCOMPLETE_SUBSCRIPTION = _("The browser sent an incomplete push subscription.")
HOUR_ERROR = _("Choose an hour between 0 and 23 for the digest.")


def error_text(form: forms.Form) -> str:
    """The form's error messages in one line: the errors of the whole request if there are
    any (they make the field errors moot), else each field's, in field order."""
    errors = list(form.non_field_errors())
    if not errors:
        for field in form:
            errors.extend(field.errors)
    return " ".join(dict.fromkeys(str(error) for error in errors))


class FollowsField(forms.Field):
    """The checked ``follow`` boxes (``topic:3``, ``ressort:12``, ``author:5``) as sorted,
    distinct (kind, id) pairs. Whether the targets exist is the services' question."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose at least one thing to follow."),
        "invalid": _("Something to follow is unknown. Please reload the page and choose again."),
        "too_many": _("Choose at most %(limit)d things to follow."),
    }

    def to_python(self, value) -> list[tuple[str, int]]:
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        pairs = {self._pair(item) for item in value}
        if len(pairs) > MAX_FOLLOWS:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_FOLLOWS}
            )
        return sorted(pairs)

    def _pair(self, item) -> tuple[str, int]:
        kind, _sep, raw = str(item).partition(":")
        # isascii: str.isdigit() also accepts digits int() does not ("²").
        if kind in FollowKind.values and raw.isascii() and raw.isdigit() and len(raw) <= 19:
            pk = int(raw)
            if pk <= MAX_ID:
                return kind, pk
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class DigestHourField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=0,
            max_value=23,
            error_messages={
                "invalid": HOUR_ERROR,
                "min_value": HOUR_ERROR,
                "max_value": HOUR_ERROR,
            },
            **kwargs,
        )


class RhythmField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Rhythm.choices,
            error_messages={"invalid_choice": _("Choose at once or a daily digest.")},
            **kwargs,
        )


class AddressField(forms.EmailField):
    """An email address, internationalised ones included (``jürgen@bücher.de``): the local
    part may hold letters of any script, the domain is checked in its ASCII (punycode) form
    and kept in Unicode, lower-cased, so both spellings of a domain are one address."""

    default_validators = []
    default_error_messages = {"invalid": ADDRESS_ERROR}

    def to_python(self, value):
        value = super().to_python(value)
        if not value or "@" not in value:
            return value
        local, domain = value.rsplit("@", 1)
        try:
            domain = ascii_domain(domain).encode("ascii").decode("idna").lower()
        except UnicodeError:
            return value  # validate() refuses it
        return f"{local}@{domain}"

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values or "\x00" in value:
            return  # the null-character validator explains the latter
        local, _at, domain = value.rpartition("@")
        try:
            domain = ascii_domain(domain)
        except UnicodeError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not RegexValidator(LOCAL_PART).regex.match(local) or len(value) > 254:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        EmailValidator(message=self.error_messages["invalid"])(f"x@{domain}")


class FollowBoxForm(forms.Form):
    """What every request of the follow box carries: the follows and the honeypot, a field
    people never see (``filled_by_bot``)."""

    follow = FollowsField()
    website = forms.CharField(required=False, strip=False)

    def filled_by_bot(self) -> bool:
        """Whether the honeypot was filled in; call after ``is_valid()``, whatever it said."""
        return bool(self.cleaned_data.get(HONEYPOT))


class FollowTargetsQuery(forms.Form):
    """The subscribe page's query: ``?follow=topic:3`` (repeatable), what a follow button
    links to."""

    follow = FollowsField()


class SubscribeForm(FollowBoxForm):
    """The follow box's email form. Without a choice the rhythm is "at once" and the digest
    hour 7, as the box preselects them."""

    email = AddressField()
    rhythm = RhythmField(required=False)
    digest_hour = DigestHourField(required=False)

    field_order = ["email", "follow", "rhythm", "digest_hour"]

    def clean_rhythm(self) -> str:
        return self.cleaned_data["rhythm"] or Rhythm.INSTANT

    def clean_digest_hour(self) -> int:
        hour = self.cleaned_data["digest_hour"]
        return 7 if hour is None else hour


class ManageLinkForm(forms.Form):
    """Asking for the manage link by address."""

    email = AddressField()


class ManagePageQuery(forms.Form):
    """The manage page's query: ``confirmed=1`` after the confirmation link was followed."""

    confirmed = forms.BooleanField(required=False)


class ManageForm(forms.Form):
    """The manage page's two forms: ``action`` is the button pressed. Saving (the default
    action) replaces the follows; a rhythm, hour or language left out keeps the
    subscriber's."""

    ACTIONS = ("save", "pause", "resume", "unsubscribe", "delete")

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS], required=False)
    follow = FollowsField(required=False)
    rhythm = RhythmField(required=False)
    digest_hour = DigestHourField(required=False)
    language = forms.ChoiceField(
        choices=lambda: settings.LANGUAGES,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
    )

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriber = subscriber

    def clean(self):
        data = super().clean()
        data["action"] = data.get("action") or "save"
        for name in ("rhythm", "digest_hour", "language"):
            if data.get(name) in (None, "") and name not in self.errors:
                data[name] = getattr(self.subscriber, name)
        return data


class JSONBodyForm(forms.Form):
    """A form bound to a JSON object posted as the request body (``from_body``); a body
    that is not a JSON object is one error of the whole request."""

    def __init__(self, *args, malformed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.malformed = malformed

    @classmethod
    def from_body(cls, body: bytes) -> JSONBodyForm:
        try:
            data = json.loads(body or b"{}")
        except (ValueError, RecursionError):  # RecursionError: nested a few thousand deep
            data = None
        if not isinstance(data, dict):
            return cls(data={}, malformed=True)
        return cls(data=cls.fields_of(data))

    @classmethod
    def fields_of(cls, data: dict) -> dict:
        """The form's data from the JSON object ``data``."""
        return data

    def clean(self):
        if self.malformed:
            raise ValidationError(_("Invalid request."), code="malformed")
        return super().clean()


def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def _subscription_part(max_length: int, validator) -> forms.CharField:
    """A part of the browser's push subscription; any fault in it is the browser's."""
    return forms.CharField(
        max_length=max_length,
        validators=[validator],
        error_messages={"required": INCOMPLETE_SUBSCRIPTION, "max_length": INCOMPLETE_SUBSCRIPTION},
    )


class PushSubscribeForm(JSONBodyForm, FollowBoxForm):
    """The follow box's script posts ``{"subscription": PushSubscription.toJSON(),
    "follow": [...], "website": ""}``."""

    endpoint = _subscription_part(
        1000, URLValidator(schemes=["https", "http"], message=INCOMPLETE_SUBSCRIPTION)
    )
    p256dh = _subscription_part(200, RegexValidator(BASE64URL, message=INCOMPLETE_SUBSCRIPTION))
    auth = _subscription_part(100, RegexValidator(BASE64URL, message=INCOMPLETE_SUBSCRIPTION))

    field_order = ["endpoint", "p256dh", "auth", "follow"]

    @classmethod
    def fields_of(cls, data: dict) -> dict:
        subscription = _object(data.get("subscription"))
        keys = _object(subscription.get("keys"))
        return {
            "endpoint": subscription.get("endpoint"),
            "p256dh": keys.get("p256dh"),
            "auth": keys.get("auth"),
            "follow": data.get("follow"),
            HONEYPOT: data.get(HONEYPOT),
        }


class PushUnsubscribeForm(JSONBodyForm):
    """``{"endpoint": "https://…"}`` of the push subscription to forget."""

    endpoint = forms.CharField(max_length=1000)
