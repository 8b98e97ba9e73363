"""Text cells that spreadsheets would evaluate (``= + - @``, tab, carriage return first) written so
they stay text, in every XLSX and CSV the web app serves.  Numbers are never touched: ``-3,5`` or a
float stays a number.

CSV: such a text gets a leading apostrophe (the OWASP advice; Excel and LibreOffice show the text).
XLSX: the cell is written as a string with Excel's "quote prefix" style, so it is never a formula,
not even after the cell is edited.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        float(text.strip().replace(",", "."))
        return True
    except ValueError:
        return False


def dangerous(v) -> bool:
    return isinstance(v, str) and v.startswith(TRIGGERS) and not _number(v)


def csv_cell(v):
    """A value for ``csv.writer``: dangerous text prefixed with an apostrophe."""
    return "'" + v if dangerous(v) else v


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


def append_row(ws, values) -> None:
    """``ws.append(values)`` with dangerous text written as text (never a formula)."""
    ws.append(values)
    if any(dangerous(v) for v in values):
        for cell, v in zip(ws[ws.max_row], values):
            if dangerous(v):
                cell.value = v
                cell.data_type = "s"
                cell.quotePrefix = True
