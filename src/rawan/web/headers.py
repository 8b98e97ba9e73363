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
