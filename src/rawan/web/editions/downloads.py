"""The result table's two CSV renderings and the ``sumber`` file beside them.

One table (:func:`rawan.web.editions.table.result_table`, the bundle's ``results.csv`` columns),
two renderings:

* ``hasil.csv``        international: ``,`` between fields, ``.`` for decimals, UTF-8 (the
                       engine's CSV writer: a published edition's file is its bundle's results.csv);
* ``hasil-excel.csv``  for Excel set to Indonesian: ``;`` between fields, ``,`` for decimals,
                       UTF-8 with a byte-order mark (so Excel reads the names right), CRLF.

Neither carries anything but the table: the source, attribution and how to read the files are in
``sumber.txt`` beside them (and in the ``sumber`` sheet of the XLSX), never extra rows.
"""

from __future__ import annotations

import csv
import io

import numpy as np
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ... import __version__
from ...engine.numbers import format_numbers
from ...vocabulary import synthetic_note
from ..spreadsheet import csv_cell
from . import dashboard as D
from .models import Edition

RANK_COLUMNS = ("rank", "rank_reference")
ATTRIBUTION = ("Kode & nama wilayah: idn-area-data (fityannugroho), ODbL 1.0. "
               "Batas wilayah: cahyadsn/wilayah_boundaries, MIT.")
ATTRIBUTION_EN = ("Region codes & names: idn-area-data (fityannugroho), ODbL 1.0. "
                  "Boundaries: cahyadsn/wilayah_boundaries, MIT.")


def _column_texts(header: str, col: np.ndarray, decimal: str) -> list[str]:
    if col.dtype.kind == "f":
        if header in RANK_COLUMNS:
            return ["" if np.isnan(x) else str(int(x)) for x in col.tolist()]
        texts = format_numbers(col).to_pylist()  # the engine's number text (reads back exactly)
        return ["" if t is None else (t.replace(".", decimal) if decimal != "." else t) for t in texts]
    return ["" if v is None else str(csv_cell(v)) for v in col.tolist()]


def csv_excel_id(header: list[str], cols: list[np.ndarray]) -> bytes:
    """The table for Excel in Indonesian: ``;`` separator, decimal comma, BOM, CRLF."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    texts = [_column_texts(h, c, ",") for h, c in zip(header, cols)]
    w.writerows(zip(*texts))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def source_lines(request, edition: Edition) -> list[tuple[str, str]]:
    """(label, text) lines of the ``sumber`` file and sheet, in the page's language."""
    lang = D.lang()
    lines = [(_("Edition"), edition.title_in(lang)),
             (_("Address"), request.build_absolute_uri(reverse("edition", args=[edition.slug])))]
    status = edition.get_status_display()
    if edition.published_at:
        status += ", " + date_format(edition.published_at, "j F Y")
    lines.append((_("Status"), f"{status}; " + _("version %(v)s") % {"v": edition.version}))
    if edition.synthetic:
        lines.append((_("Note"), synthetic_note(lang)))
    if edition.source:
        text, in_lang = D.source_of(edition, lang)
        lines.append((_("Source"), text if in_lang == lang else _("Available in Indonesian only:") + " " + text))
    for u in edition.source_urls:
        lines.append((_("Link"), u))
    if edition.confidence:
        lines.append((_("Confidence tag"), f"[{edition.confidence}] " + _(
            "C confirmed, S single source, X sources conflict, I inference")))
    note = (edition.scale_note_en if lang == "en" else "") or edition.scale_note
    if note:
        lines.append((_("Scale"), note))
    if edition.results_only:
        lines.append((_("Method"), _("Published results only (no indicator data)")))
    elif edition.model_id:
        lines.append((_("Model"), f"{edition.model_id} (SHA-256 {edition.model_sha256})"))
    if edition.bundle_sha256:
        lines.append((_("Reproducible bundle"), f"SHA-256 {edition.bundle_sha256}"))
    lines.append((_("Files"), _("%(csv)s (comma between fields, decimal point) and %(excel)s (semicolon "
                                "between fields, decimal comma, for Excel in Indonesian) hold the same table; "
                                "so does the hasil sheet of %(xlsx)s.") % {
        "csv": f"{edition.slug}.csv", "excel": f"{edition.slug}-excel.csv", "xlsx": f"{edition.slug}.xlsx"}))
    lines.append((_("Regions"), ATTRIBUTION_EN if lang == "en" else ATTRIBUTION))
    lines.append((_("Made with"), f"rawan {__version__}"))
    return lines


def source_text(request, edition: Edition) -> str:
    return "".join(f"{label}: {text}\n" for label, text in source_lines(request, edition))
