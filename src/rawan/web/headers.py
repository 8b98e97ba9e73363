"""Response headers every page gets beyond Django's and django-csp's: Permissions-Policy (no
camera, microphone, geolocation, payment... for any page or script of rawan)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


try:  # django-csp (the [web] extra)
    from csp.middleware import CSPMiddleware as _CSPMiddleware
except ImportError:  # pragma: no cover - the web app always has it
    _CSPMiddleware = object

_CSP_OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                  "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")


class CachedCSPMiddleware(_CSPMiddleware):
    """django-csp's middleware, with the header built once per policy instead of on every response.

    django-csp rebuilds the Content-Security-Policy string from the settings on each response (two
    policies, each through dataclasses and a dozen settings reads): about a sixth of the time of a
    page served from the page cache.  rawan's policy is a constant of the settings, with no nonce
    and no per-view change, so the built header is kept per policy object; a response or request
    that does change it (a decorator of django-csp, a nonce) goes through django-csp unchanged."""

    _built: dict = {}

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _CSP_OVERRIDES):
            return super().process_response(request, response)
        from django.conf import settings

        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        policy_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        key = (id(policy), id(policy_ro), settings.DEBUG)  # the settings' own objects (None when unset)
        built = self._built.get(key)
        if built is None:
            from csp.utils import build_policy

            if len(self._built) > 16:  # settings changed in tests, many times
                self._built.clear()
            built = (build_policy(), build_policy(report_only=True), policy or {}, policy_ro or {}, policy, policy_ro)
            self._built[key] = built  # (the policies are kept in the entry, so their ids stay theirs)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        from csp.constants import HEADER, HEADER_REPORT_ONLY

        for header, value, pol in ((HEADER, built[0], built[2]), (HEADER_REPORT_ONLY, built[1], built[3])):
            prefixes = tuple(pol.get("EXCLUDE_URL_PREFIXES", None) or ())
            if value and header not in response and not request.path_info.startswith(prefixes):
                response[header] = value
        from csp.middleware import CheckableLazyObject

        # as django-csp: reading request.csp_nonce after the header is written is an error
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
