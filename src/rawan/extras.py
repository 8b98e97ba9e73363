"""Optional dependencies: which extra of ``pip install rawan[...]`` brings which package.

``pip install rawan`` is the light core: the engine, intake (templates, validation, import), the
region list and the CLI.  The heavy parts are extras, imported late (inside the function that needs
them), so a missing one fails only when its feature is used, with a sentence naming the extra:

* ``[maps]``    shapely, pyogrio — boundaries and choropleth maps (SVG), boundary import, data fetch
* ``[reports]`` typst, matplotlib — the PDF/HTML book, infographics, PNG maps, robustness charts
* ``[web]``     Django, waitress, psycopg — the web application
* ``[all]``     everything above; ``[test]`` the test tools
"""

from __future__ import annotations

from .engine.errors import Problem, RawanError, register_messages

EXTRA_OF = {
    "shapely": "maps", "pyogrio": "maps",
    "typst": "reports", "matplotlib": "reports",
    "django": "web", "waitress": "web", "psycopg": "web", "django_tasks": "web", "csp": "web",
}

register_messages({
    "extras.missing": {
        "id": "Fitur ini memerlukan paket opsional '{module}', yang belum terpasang. "
              "Pasang dengan: pip install \"rawan[{extra}]\" (atau \"rawan[all]\" untuk semuanya).",
        "en": "This feature needs the optional package '{module}', which is not installed. "
              "Install it with: pip install \"rawan[{extra}]\" (or \"rawan[all]\" for everything).",
    },
})


class MissingExtra(RawanError):
    """An optional package is missing; the message names the extra that brings it."""


def missing_extra(exc: BaseException | None) -> MissingExtra | None:
    """A :class:`MissingExtra` for an ImportError (or one it was raised from) of an optional package."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ImportError):
            root = (getattr(exc, "name", None) or "").split(".")[0]
            if root in EXTRA_OF:
                return MissingExtra(Problem("extras.missing", {"module": root, "extra": EXTRA_OF[root]}))
        exc = exc.__cause__ or exc.__context__
    return None


def require(module: str):
    """Import ``module`` (an optional package) or raise :class:`MissingExtra`."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise (missing_extra(e) or e) from e
