# Varnish 7 (Debian's varnish + varnish-modules for xkey) in front of Redaktion.
#
# - Caches what the app marks public: TTL from s-maxage, grace from
#   stale-while-revalidate (a stale page is served at once while one background fetch
#   refreshes it); concurrent misses of one URL wait for a single fetch (Varnish's
#   default request coalescing).
# - Never caches the admin (previews included), the per-reader endpoints, requests that
#   carry a session, responses that set a cookie or are private/no-store, or responses
#   without Cache-Control.
# - Drops tracking parameters from the key (the list of PAGE_CACHE_IGNORED_PARAMS) and the
#   cookies of the public pages (their HTML is the same for every reader).
# - Indexes each object under its Surrogate-Key (xkey); `PURGE` with `xkey-purge: k1 k2`
#   from an address in `purgers` drops every object with one of those keys, and with
#   `xkey-softpurge: k3` marks those objects stale: they are served within their grace
#   while one background fetch refreshes each (the app's SURROGATE_SOFT_KEYS: the lists a
#   publish adds an article to, the river on every article page among them, so that a
#   publish does not send every article's readers to the app at once). Several nodes: list each in the app's VARNISH_PURGE_URLS.
# - Compresses text responses.
#
# `make serve` and the tests write the backend's port into a copy of this file;
# `varnishd -C -f deploy/varnish/redaktion.vcl` checks it.

vcl 4.1;

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# The app servers and workers that may purge (VARNISH_PURGE_URLS points here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge && !req.http.xkey-softpurge) {
            return (synth(400, "Send the keys in the xkey-purge or xkey-softpurge header"));
        }
        set req.http.X-Purged = "0";
        set req.http.X-Softpurged = "0";
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        }
        if (req.http.xkey-softpurge) {
            set req.http.X-Softpurged = xkey.softpurge(req.http.xkey-softpurge);
        }
        return (synth(200, "Purged " + req.http.X-Purged + " objects, marked "
            + req.http.X-Softpurged + " stale"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin (previews included) and the endpoints that answer each reader.
    if (req.url ~ "^/(admin|django-admin|anzeigen|benachrichtigungen)(/|$)") {
        return (pass);
    }
    # An editor (or anyone logged in) sees the site as the app renders it for them.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    unset req.http.Cookie;

    # Tracking parameters: the same page under one key.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "([?&])(utm_[a-z0-9_]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|ref|_ga|igshid|yclid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]$", "");
        set req.url = std.querysort(req.url);
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (!beresp.http.Cache-Control
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        # Remember for a while that this URL is not cacheable, so requests go straight on.
        set beresp.ttl = 60s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1") + "s",
            10s);
    }
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
        # The stored X-Request-ID belongs to the request that rendered the page; a hit is
        # this request's own, and Varnish's transaction id names it in varnishlog.
        set resp.http.X-Request-ID = req.xid;
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
