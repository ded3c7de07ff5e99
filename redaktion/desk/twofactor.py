"""The admin's optional second factor: a TOTP code from an authenticator app (django-otp).

Off unless ``ADMIN_TOTP`` is on. Then a signed-in editor reaches the admin only after
entering a current code in this session: ``SecondFactorMiddleware`` sends every other admin
request to the code page. An editor without a confirmed device sets one up there first (the
app scans the QR code, or takes the key typed in), and the first right code confirms it.
A lost phone is reset by deleting the editor's device (``TOTPDevice``) with ``redaktion
shell``. django-otp throttles wrong codes per device (a growing wait after each failure).
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMIN_PREFIX = "/admin/"
DEVICE_NAME = "Authenticator-App"


def _open_paths() -> tuple[str, ...]:
    """Admin paths a signed-in editor reaches without the second factor."""
    return (
        reverse("desk_second_factor"),
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_logout"),
        reverse("wagtailadmin_password_reset"),
    )


class SecondFactorMiddleware:
    """With ``ADMIN_TOTP`` on, admin pages ask a signed-in, unverified user for a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_TOTP
            and request.path_info.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path_info.startswith(_open_paths())
        ):
            return redirect_to_login(request.get_full_path(), reverse("desk_second_factor"), "next")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _device(user) -> tuple[TOTPDevice, bool]:
    """The user's confirmed TOTP device, or the unconfirmed one being set up (made on the
    first visit, kept until confirmed, so reloading shows the same key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        return device, True
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    return device, False


def _qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title=DEVICE_NAME)


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """Asks for the current code (setting the app up first if needed); a right code marks the
    session verified and goes on to ``next``."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("wagtailadmin_home")
    if not settings.ADMIN_TOTP or request.user.is_verified():
        return redirect(target)
    device, confirmed = _device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if not confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(target)
        form.add_error("code", _("This code is wrong or has expired. Enter the current one."))
    context = {"form": form, "next": target, "setting_up": not confirmed}
    if not confirmed:
        context.update(
            qr_svg=_qr_svg(device),
            key=base64.b32encode(device.bin_key).decode().rstrip("="),
            uri=device.config_url,
        )
    return render(request, "desk/second_factor.html", context, status=400 if form.errors else 200)
