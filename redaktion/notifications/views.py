"""Reader endpoints of the notifications app; none of them is cached.

The follow box sits in cached pages, which carry no CSRF token, so the two subscribe
endpoints are CSRF-exempt. CSRF protects actions taken with a reader's cookies; these use
none (no session, no login), so a forged cross-site post can do nothing a direct post could
not. What remains is abuse, answered by: double opt-in (an address gets only the
confirmation mail until its owner clicks), an Origin/Sec-Fetch-Site check, rate limits per
IP and per address, a honeypot field, and the same answer for every address. The manage and
confirm pages are never cached and use Django's CSRF protection as usual; the one-click
unsubscribe POST (RFC 8058) is CSRF-exempt, since mail clients post it without a token.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from redaktion.core.proxy import client_ip
from redaktion.news.selectors import ressorts

from . import forms, ratelimit, selectors, services, tasks, tokens
from .models import Subscriber

# The manage page's buttons that change the status, with the notice each leaves.
STATUS_ACTIONS = {
    "pause": (Subscriber.Status.PAUSED, gettext_lazy("Your alerts are paused.")),
    "resume": (Subscriber.Status.ACTIVE, gettext_lazy("Your alerts are active again.")),
    "unsubscribe": (Subscriber.Status.UNSUBSCRIBED, gettext_lazy("You are unsubscribed.")),
}


def _same_origin(request) -> bool:
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc == request.get_host()
    return request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}


def _page(request, template, context=None, status=200):
    base = {"ressorts": ressorts(), "hours": range(24)}
    return render(request, template, {**base, **(context or {})}, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """GET: the follow form for the targets in ``?follow=`` (the follow buttons' link when
    no script opens the form in place). POST: the follow form's email subscription, always
    the same answer for a well-formed request."""
    if request.method == "GET":
        return _subscribe_page(request)
    if not _same_origin(request):
        return HttpResponseForbidden()
    if not ratelimit.allow(
        "ip", client_ip(request), limit=settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_IP
    ):
        return _page(
            request,
            "notifications/message.html",
            {"heading": _("Too many requests"), "text": _("Please try again in an hour.")},
            status=429,
        )
    form = forms.SubscribeForm(request.POST)
    valid = form.is_valid()
    if form.filled_by_bot():
        return _page(request, "notifications/subscribe_done.html")
    if not valid:
        return _entry_error(request, forms.error_text(form))
    data = form.cleaned_data
    try:
        token = services.subscription_request(
            email=data["email"],
            follows=data["follow"],
            rhythm=data["rhythm"],
            digest_hour=data["digest_hour"],
            language=get_language(),
        )
    except services.NotificationError as exc:
        return _entry_error(request, str(exc))
    if ratelimit.allow(
        "address", data["email"], limit=settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_ADDRESS
    ):
        tasks.send_confirmation.enqueue(token)
    return _page(request, "notifications/subscribe_done.html")


def _subscribe_page(request):
    form = forms.FollowTargetsQuery(request.GET)
    if not form.is_valid():
        return _entry_error(request, forms.error_text(form))
    targets = selectors.follow_items(form.cleaned_data["follow"])
    if not targets:
        return _entry_error(
            request, _("Something to follow is unknown. Please reload the page and choose again.")
        )
    return _page(request, "notifications/subscribe.html", {"targets": targets})


def _entry_error(request, text: str):
    return _page(
        request,
        "notifications/message.html",
        {"heading": _("Please check your entry"), "text": text},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (link scanners in mail systems follow links but do not post);
    POST creates the subscription and opens the manage page."""
    try:
        services.confirmation_data(token)
        if request.method == "POST":
            subscriber = services.subscription_confirm(token=token)
    except services.NotificationError as exc:
        return _page(
            request,
            "notifications/message.html",
            {"heading": _("Link expired"), "text": str(exc)},
            status=400,
        )
    if request.method == "POST":
        manage = tokens.subscriber_token(subscriber, salt=tokens.MANAGE_SALT)
        return redirect(reverse("notifications:manage", args=[manage]) + "?confirmed=1")
    return _page(request, "notifications/confirm.html", {"token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def manage_request(request):
    """Asks for the manage link by address; the same answer for every address."""
    if request.method == "POST":
        if not _same_origin(request):
            return HttpResponseForbidden()
        form = forms.ManageLinkForm(request.POST)
        if not form.is_valid():
            return _page(request, "notifications/manage_request.html", {"form": form}, status=400)
        email = form.cleaned_data["email"]
        if ratelimit.allow(
            "ip", client_ip(request), limit=settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_IP
        ) and ratelimit.allow(
            "address", email, limit=settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_ADDRESS
        ):
            tasks.send_manage_link.enqueue(email)
        return _page(request, "notifications/subscribe_done.html", {"manage_link": True})
    return _page(request, "notifications/manage_request.html", {"form": forms.ManageLinkForm()})


def _subscriber_or_error(request, token):
    try:
        return services.subscriber_from_token(
            token, salt=tokens.MANAGE_SALT, max_age=tokens.MANAGE_MAX_AGE
        ), None
    except services.NotificationError as exc:
        return None, _page(
            request,
            "notifications/message.html",
            {"heading": _("Link expired"), "text": str(exc), "manage_request": True},
            status=400,
        )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """The magic-link page: follows, rhythm, language, pause, unsubscribe, data, delete."""
    subscriber, error = _subscriber_or_error(request, token)
    if error:
        return error
    query = forms.ManagePageQuery(request.GET)
    confirmed = query.is_valid() and query.cleaned_data["confirmed"]
    notice = _("Your alerts are confirmed.") if confirmed else ""
    status = 200
    if request.method == "POST":
        form = forms.ManageForm(request.POST, subscriber=subscriber)
        action = form.cleaned_data["action"] if form.is_valid() else None
        if action is None:
            notice, status = forms.error_text(form), 400
        elif action == "delete":
            services.subscriber_delete(subscriber=subscriber)
            return _page(
                request,
                "notifications/message.html",
                {
                    "heading": _("Deleted"),
                    "text": _("Your address and everything stored with it have been deleted."),
                },
            )
        elif action in STATUS_ACTIONS:
            new_status, notice = STATUS_ACTIONS[action]
            services.subscriber_set_status(subscriber=subscriber, status=new_status)
        else:
            data = form.cleaned_data
            services.subscriber_update(
                subscriber=subscriber,
                follows=data["follow"],
                rhythm=data["rhythm"],
                digest_hour=data["digest_hour"],
                language=data["language"],
            )
            notice = _("Your changes are saved.")
    return _page(
        request,
        "notifications/manage.html",
        {
            "subscriber": subscriber,
            "token": token,
            "follows": selectors.subscriber_follows(subscriber),
            "notice": notice,
            "languages": settings.LANGUAGES,
        },
        status=status,
    )


@never_cache
@require_GET
def export(request, token):
    """Everything stored about the subscriber as a JSON download."""
    subscriber, error = _subscriber_or_error(request, token)
    if error:
        return error
    response = JsonResponse(
        selectors.subscriber_data(subscriber),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="benachrichtigungen.json"'
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click unsubscribe: a POST (from the mail client or the button) ends the
    alerts at once. GET only shows the button, so link scanners change nothing."""
    try:
        subscriber = services.subscriber_from_token(token, salt=tokens.UNSUBSCRIBE_SALT)
    except services.NotificationError:
        subscriber = None
    if request.method == "POST":
        if subscriber is not None:
            services.subscriber_set_status(
                subscriber=subscriber, status=Subscriber.Status.UNSUBSCRIBED
            )
        return _page(
            request,
            "notifications/message.html",
            {
                "heading": _("Unsubscribed"),
                "text": _(
                    "You will get no more alerts. You can delete your data on the manage page "
                    "or subscribe again at any time."
                ),
            },
        )
    if subscriber is None:
        return _page(
            request,
            "notifications/message.html",
            {"heading": _("Link expired"), "text": _("This link is invalid or has expired.")},
            status=400,
        )
    return _page(request, "notifications/unsubscribe.html", {"token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def unfollow(request, token):
    """An alert's "stop following" link: a POST ends that one follow, the reader's others
    stay (the last one ending unsubscribes). GET only shows what ends, with the button, so
    link scanners change nothing."""
    try:
        subscriber, kind, target_id = services.follow_from_token(token)
    except services.NotificationError as exc:
        return _page(
            request,
            "notifications/message.html",
            {"heading": _("Link expired"), "text": str(exc)},
            status=400,
        )
    found = selectors.follow_items([(kind, target_id)])
    followed = (
        found[0].followed if found else pgettext("you follow …", "this topic, section or author")
    )
    if request.method == "POST":
        if services.follow_remove(subscriber=subscriber, kind=kind, target_id=target_id):
            text = _("You no longer follow %(follow)s; your other alerts stay as they are.")
        else:
            text = _(
                "You no longer follow %(follow)s. You followed nothing else, so you get no "
                "more alerts."
            )
        return _page(
            request,
            "notifications/message.html",
            {"heading": _("Stopped following"), "text": text % {"follow": followed}},
        )
    return _page(
        request,
        "notifications/unfollow.html",
        {
            "token": token,
            "followed": followed,
            "unsubscribe_token": tokens.subscriber_token(subscriber, salt=tokens.UNSUBSCRIBE_SALT),
        },
    )


@csrf_exempt
@never_cache
@require_POST
def push_subscribe(request):
    """The follow box's script posts the browser's push subscription and the follows."""
    if not _same_origin(request):
        return HttpResponseForbidden()
    if not settings.VAPID_PUBLIC_KEY:
        raise Http404("Web push is not configured")
    if not ratelimit.allow(
        "ip", client_ip(request), limit=settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_IP
    ):
        return JsonResponse({"ok": False, "message": _("Please try again in an hour.")}, status=429)
    form = forms.PushSubscribeForm.from_body(request.body)
    valid = form.is_valid()
    if form.filled_by_bot():
        return JsonResponse({"ok": True, "message": _("Push alerts are on.")})
    if not valid:
        return JsonResponse({"ok": False, "message": forms.error_text(form)}, status=400)
    data = form.cleaned_data
    try:
        services.push_subscribe(
            endpoint=data["endpoint"],
            p256dh=data["p256dh"],
            auth=data["auth"],
            follows=data["follow"],
            language=get_language(),
        )
    except services.NotificationError as exc:
        return JsonResponse({"ok": False, "message": str(exc)}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "message": _("Push alerts are on. You can turn them off in your browser at any time."),
        }
    )


@csrf_exempt
@never_cache
@require_POST
def push_unsubscribe(request):
    """Forgets a push subscription: ``{"endpoint": …}``; the same answer whether or not the
    endpoint was known."""
    if not _same_origin(request):
        return HttpResponseForbidden()
    form = forms.PushUnsubscribeForm.from_body(request.body)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": forms.error_text(form)}, status=400)
    services.push_unsubscribe(endpoint=form.cleaned_data["endpoint"])
    return JsonResponse({"ok": True})


_SERVICE_WORKER = None


@require_GET
def service_worker(request):
    """The push service worker, served from the site root so its scope is the whole site."""
    global _SERVICE_WORKER
    if _SERVICE_WORKER is None:
        with open(finders.find("notifications/sw.js"), "rb") as handle:
            _SERVICE_WORKER = handle.read()
    response = HttpResponse(_SERVICE_WORKER, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
