"""Language: Indonesian unless the visitor chose English with the switch (a cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language; most Bawaslu laptops and
phones run English-language browsers, and the brief says Indonesian first, so only the explicit
choice counts.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """The language of this request's pages: the switch's cookie when it names a known language."""
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
    return lang if lang in {code for code, _ in settings.LANGUAGES} else settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = chosen_language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        patch_vary_headers(response, ("Cookie",))
        return response
