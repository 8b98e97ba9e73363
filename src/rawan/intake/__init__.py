"""Data intake: Excel/CSV templates, strict all-or-nothing imports, event records.

    from rawan.intake import make_template, import_file, validate_file, aggregate_events, ImportResult
    spec = load_spec("ikp-2024")
    make_template(spec, regions, level="kabupaten_kota", parent="15", out=Path("t.xlsx"))
    result = import_file(Path("t.xlsx"), spec, regions=regions, user="officer@bawaslu")
    compute(spec, result.dataset)

Every problem is a :class:`rawan.engine.errors.Problem` naming file, sheet, row (as Excel
shows it), column letter and header, the value and what was expected; see docs/intake.md.
"""

from . import messages  # noqa: F401  (registers the intake messages at import)
from .api import ImportResult, Provenance, import_file, validate_file
from .events import Events, aggregate_events, read_events
from .identity import structure_checksum
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["DEFAULT_LIMITS", "Events", "ImportResult", "Limits", "Provenance", "aggregate_events",
           "import_file", "make_template", "read_events", "structure_checksum", "validate_file"]


def make_template(*args, **kwargs):
    """See :func:`rawan.intake.template.make_template` (openpyxl is imported only when needed)."""
    from .template import make_template as _make

    return _make(*args, **kwargs)
