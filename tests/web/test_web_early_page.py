"""EarlyPageMiddleware: a repeated anonymous hit of the page cache is answered with the final
response kept from an earlier identical hit, before the other middlewares run, with exactly the
status, headers and body the page cache gives through every middleware; never to a logged-in
user or a visitor with a session, never across a change of the edition's state or language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PUB = "contoh-ikp-2024-jambi"
PAGES = [f"/e/{PUB}/", f"/e/{PUB}/peringkat/", f"/api/editions/{PUB}/results"]


@pytest.fixture
def passes(monkeypatch):
    """How many requests went down the middleware stack past the early one (LanguageMiddleware)."""
    from rawan.web.accounts import language

    seen = []
    real = language.LanguageMiddleware.__call__

    def counting(self, request):
        seen.append(request.path)
        return real(self, request)

    monkeypatch.setattr(language.LanguageMiddleware, "__call__", counting)
    return seen


def _same(a, b):
    assert a.status_code == b.status_code
    assert sorted(a.items()) == sorted(b.items())
    assert a.content == b.content
    assert a.cookies.output() == b.cookies.output() == ""


@pytest.mark.parametrize("url", PAGES)
def test_the_early_answer_is_the_page_cache_answer_exactly(as_user, passes, url):
    anon = as_user(None)
    anon.get(url)  # rendered, into the page cache
    through = anon.get(url)  # from the page cache, through every middleware
    n = len(passes)
    early = anon.get(url + "?r=0.5")  # an ignored parameter: the same entry
    assert len(passes) == n  # answered before the other middlewares
    _same(early, through)
    assert early["Content-Security-Policy"] and early["X-Frame-Options"] and early["ETag"]
    assert early["Content-Language"] == "id"


def test_if_none_match_gets_the_same_304(as_user, passes):
    anon = as_user(None)
    url = PAGES[1]
    etag = anon.get(url)["ETag"]
    anon.get(url)
    through = anon.get(url, HTTP_IF_NONE_MATCH=etag)  # a 304 through every middleware
    assert through.status_code == 304
    n = len(passes)
    early = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert len(passes) == n
    _same(early, through)
    other = anon.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other["ETag"] == etag


def test_logged_in_users_and_sessions_never_get_it(as_user, passes):
    anon = as_user(None)
    for _ in range(3):
        anon.get(PAGES[0])
    viewer = as_user("viewer")
    n = len(passes)
    r = viewer.get(PAGES[0])
    assert len(passes) == n + 1 and r.status_code == 200
    assert "pemantau" in r.content.decode()  # their own header, not the anonymous page
    stranger = as_user(None)
    stranger.cookies["sessionid"] = "no-such-session"
    stranger.get(PAGES[0])
    assert len(passes) == n + 2


def test_the_language_cookie_picks_its_own_answer(as_user, passes):
    anon = as_user(None)
    for _ in range(3):
        indonesian = anon.get(PAGES[1])
    anon.cookies["django_language"] = "en"
    english = anon.get(PAGES[1])
    assert english["Content-Language"] == "en" and english.content != indonesian.content
    assert anon.get(PAGES[1]).content == english.content


def test_a_state_change_is_seen_at_once(as_user, passes):
    """The edition's state is read on every early answer too: an archive done elsewhere (straight
    in the database) changes the key, and an edition no longer public is never answered early."""
    from rawan.web.editions.models import Edition

    anon = as_user(None)
    for _ in range(3):
        assert "Arsip" not in anon.get(PAGES[0]).content.decode()
    Edition.objects.filter(slug=PUB).update(status="arsip")
    assert "Arsip" in anon.get(PAGES[0]).content.decode()
    Edition.objects.filter(slug=PUB).update(status="pengumpulan")
    assert anon.get(PAGES[0]).status_code == 404


def test_a_request_with_a_body_goes_through_the_body_limit(as_user, passes):
    anon = as_user(None)
    for _ in range(3):
        anon.get(PAGES[0])
    n = len(passes)
    r = anon.generic("GET", PAGES[0], data=b"x" * (65 * 1024))
    assert r.status_code == 413 and len(passes) == n + 1  # down the stack, to its limit
