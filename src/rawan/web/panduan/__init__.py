"""Panduan: the user guide inside the web app (``/panduan/``), one chapter per role, and the glossary.

Indonesian first, English beside it (the app's language switch picks the version).  A chapter is a
template pair ``rawan/panduan/id/<slug>.html`` / ``rawan/panduan/en/<slug>.html``; it names the
buttons and pages it talks about through ``{% ui "ref" %}...{% endui %}``, where ``ref`` is the value
of a ``data-panduan="ref"`` attribute on the real page (tests/web/test_web_panduan.py fails when a
chapter names one that no template has), and shows screenshots made by ``make panduan``
(:mod:`rawan.web.panduan.screenshots`).  Every page's header links to the chapter of the visitor's
role, at the section about that page (:func:`chapters.help_link`).
"""
