"""The Content-Security-Policy of every response, built and sent by django-csp from the
policy in the settings (``CONTENT_SECURITY_POLICY``, or ``…_REPORT_ONLY`` while
``CSP_REPORT_ONLY`` is on).

That policy is the reader site's, and strict: the site's own scripts and styles only (and
the one inline loader of ``redaktion.core.scripts``, by its hash). The Wagtail admin and
its page previews also need inline scripts and styles and ``blob:`` images, so paths under
``/admin/`` get those on top; their ``script-src`` replaces the reader site's, since a
browser ignores ``'unsafe-inline'`` next to a hash. Third-party ad tags are served apart,
with a policy of their own, in a sandboxed frame (``redaktion.ads.views.frame``).
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_ADDITIONS = {
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}
ADMIN_REPLACEMENTS = {"script-src": [SELF, UNSAFE_INLINE]}
ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's additions on paths under ``/admin/``."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = ADMIN_ADDITIONS
            if parts.replace is None:
                parts.replace = ADMIN_REPLACEMENTS
        return parts
