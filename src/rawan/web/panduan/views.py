"""The Panduan's pages: the table of contents, one chapter, the glossary.  Open to everyone (no login),
the same pages in both languages (the header's language switch)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from ..accounts.roles import who
from .chapters import BY_SLUG, CHAPTERS, chapter_for
from .glossary import TERMS


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def index(request):
    lang = _lang()
    mine = chapter_for(who(request.user).role)
    chapters = [{"slug": c.slug, "title": c.title(lang), "summary": c.summary(lang), "mine": c is mine}
                for c in CHAPTERS]
    return render(request, "rawan/panduan/index.html", {"chapters": chapters, "lang": lang})


def chapter(request, slug: str):
    c = BY_SLUG.get(slug)
    if c is None:
        raise Http404(slug)
    lang = _lang()
    i = CHAPTERS.index(c)
    nav = {"prev": CHAPTERS[i - 1] if i > 0 else None, "next": CHAPTERS[i + 1] if i + 1 < len(CHAPTERS) else None}
    return render(request, "rawan/panduan/chapter.html", {
        "chapter": c, "title": c.title(lang), "body": f"rawan/panduan/{lang}/{c.slug}.html", "lang": lang,
        "prev": nav["prev"] and {"slug": nav["prev"].slug, "title": nav["prev"].title(lang)},
        "next": nav["next"] and {"slug": nav["next"].slug, "title": nav["next"].title(lang)}})


def glossary(request):
    lang = _lang()
    terms = [{"slug": t.slug, "word": t.word(lang), "other": t.word("id" if lang == "en" else "en"),
              "text": t.text(lang)} for t in TERMS]
    return render(request, "rawan/panduan/istilah.html", {"terms": terms, "lang": lang})
