"""Typesetting with typst (pip ``typst``): PDF and PNG from the templates in ``templates/``.

Fonts are fixed so the output is the same on every machine: DejaVu Sans from
matplotlib's package data (a rawan dependency) plus typst's own embedded fonts;
system fonts are ignored.  The document date is ``none``, so the PDF carries
no creation date at all.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..engine import Problem, RawanError

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def font_dirs() -> tuple[str, ...]:
    import matplotlib

    return (str(Path(matplotlib.__file__).resolve().parent / "mpl-data" / "fonts" / "ttf"),)


def typeset(template: str, data: dict, *, fmt: str = "pdf", ppi: float | None = None, tagged: bool = False,
            name: str = "") -> tuple[bytes | list[bytes], list[str]]:
    """Compile ``templates/<template>`` with ``data`` as ``sys.inputs.doc``; returns (output, warnings).

    ``tagged`` writes a tagged (accessible) PDF; typst's tagging roughly triples the time
    and doubles the size of a 144-region report, so it is asked for, not the default.
    """
    import typst

    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        out, warnings = typst.compile_with_warnings(
            str(TEMPLATES / template), root=str(TEMPLATES), font_paths=list(font_dirs()),
            ignore_system_fonts=True, format=fmt, ppi=ppi, sys_inputs={"doc": payload}, pdf_tags=tagged)
    except typst.TypstError as e:
        raise RawanError(Problem("reports.render_failed", {"file": name or template, "detail": str(e)})) from None
    return out, [str(getattr(w, "message", w)) for w in warnings]
