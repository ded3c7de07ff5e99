"""The admin's front door: django-axes locks out a user name after repeated wrong passwords
from one address, passwords need 12 characters, and the optional TOTP second factor."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .helpers import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "richtig-und-lang-genug"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def editor():
    user = make_user("chefin", superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": "chefin", "password": password}, REMOTE_ADDR=address)


def test_repeated_wrong_passwords_lock_the_user_name_out_from_that_address(
    axes_on, editor, settings
):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "falsch").status_code == 200  # the form again, with its error
    assert log_in(client, "falsch").status_code == 429
    # Locked out: even the right password does not open the admin now.
    assert log_in(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    # Another address is not locked out.
    assert log_in(Client(), PASSWORD, address="198.51.100.7").status_code == 302


def test_a_right_password_resets_the_count(axes_on, editor, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "falsch")
    assert log_in(client, PASSWORD).status_code == 302
    client.post(reverse("wagtailadmin_logout"))
    assert log_in(client, "falsch").status_code == 200


def test_passwords_need_twelve_characters(editor):
    with pytest.raises(ValidationError) as error:
        validate_password("Kurz-7x!qZ", user=editor)
    assert any(e.code == "password_too_short" for e in error.value.error_list)
    validate_password("Deutlich-länger-7x!qZ", user=editor)


def test_without_admin_totp_the_admin_opens_after_the_password(editor, client, settings):
    settings.ADMIN_TOTP = False
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_with_admin_totp_an_editor_sets_up_the_app_then_enters_codes(editor, client, settings):
    settings.ADMIN_TOTP = True
    client.force_login(editor)

    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk_second_factor"))
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert client.get(reverse("desk_second_factor")).status_code == 200
    assert TOTPDevice.objects.filter(user=editor).count() == 1  # reloading keeps the key

    wrong = client.post(reverse("desk_second_factor"), {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302

    # django-otp makes a device wait after a wrong code (1 s, doubling).
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        device.refresh_from_db()
        right = client.post(
            reverse("desk_second_factor"), {"code": current_code(device), "next": "/admin/pages/"}
        )
        assert right.status_code == 302 and right["Location"] == "/admin/pages/"
        assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # The next session asks for a code again, without a new setup.
    other = Client()
    other.force_login(editor)
    page = other.get(reverse("desk_second_factor"))
    assert "<svg" not in page.content.decode()
    assert other.get("/admin/").status_code == 302


def test_the_second_factor_page_goes_nowhere_but_this_site(editor, client, settings):
    settings.ADMIN_TOTP = True
    client.force_login(editor)
    client.get(reverse("desk_second_factor"))
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(
        reverse("desk_second_factor"),
        {"code": current_code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("wagtailadmin_home")
