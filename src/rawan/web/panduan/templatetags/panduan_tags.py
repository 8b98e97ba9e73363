"""Template tags of the Panduan: the header's Bantuan link, ``{% ui %}``, ``{% istilah %}``, ``{% shot %}``."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from ...accounts.roles import who
from ..chapters import help_target
from ..glossary import BY_SLUG as TERMS
from ..shots import BY_NAME as SHOTS, FOLDER, png_size

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@register.simple_tag(takes_context=True)
def bantuan_url(context) -> str:
    """The chapter of the visitor's role, at the section about the page being shown."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    chapter, section = help_target(who(getattr(request, "user", None)).role, getattr(match, "url_name", None))
    url = reverse("panduan_chapter", args=[chapter.slug])
    return f"{url}#{section}" if section else url


@register.tag("ui")
def do_ui(parser, token):
    """``{% ui "kirim-isian" %}Kirim untuk verifikasi{% endui %}``: a button or page named in a chapter,
    tied to the ``data-panduan="kirim-isian"`` attribute of the real template."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('usage: {% ui "ref" %}label{% endui %}')
    nodelist = parser.parse(("endui",))
    parser.delete_first_token()
    return UiNode(bits[1][1:-1], nodelist)


class UiNode(template.Node):
    def __init__(self, ref: str, nodelist):
        self.ref, self.nodelist = ref, nodelist

    def render(self, context):
        return format_html('<strong class="ui" data-ref="{}">{}</strong>', self.ref, self.nodelist.render(context))


@register.simple_tag
def istilah(slug: str, text: str = "") -> str:
    """A glossary word linked to its entry: ``{% istilah "ikp" %}`` or ``{% istilah "kategori" "rawan tinggi" %}``."""
    term = TERMS[slug]
    lang = _lang()
    return format_html('<a class="istilah" href="{}#{}" title="{}">{}</a>', reverse("panduan_glossary"), slug,
                       term.text(lang), text or term.word(lang))


@register.simple_tag
def istilah_help(slug: str) -> str:
    """A small "?" after a word on an app page, linking to its glossary entry."""
    term = TERMS[slug]
    lang = _lang()
    label = ("What does “{}” mean?" if lang == "en" else "Apa arti “{}”?").format(term.word(lang))
    return format_html('<a class="istilah-help" href="{}#{}" title="{}" aria-label="{}">?</a>',
                       reverse("panduan_glossary"), slug, term.text(lang), label)


@register.simple_tag
def shot(name: str) -> str:
    s = SHOTS[name]
    lang = _lang()
    width, height = png_size(FOLDER / f"{name}.png")
    return format_html('<figure class="shot" data-shot="{}"><img src="{}" width="{}" height="{}" alt="{}" '
                       'loading="lazy"><figcaption>{}</figcaption></figure>', name,
                       static(f"rawan/panduan/{name}.png"), width, height, s.caption(lang), s.caption(lang))
