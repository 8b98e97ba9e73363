"""Helpers shared by the questionnaire and event validators: problem collection, headers, codes."""

from __future__ import annotations

import re

import numpy as np

from ..engine.codes import level_of_code
from ..engine.errors import Problem
from ..engine.numbers import MISSING as NUMBER_MISSING
from .table import RawTable

CODE_HEADERS = ("kode", "code", "kode_wilayah", "kode wilayah", "ucode")
NAME_HEADERS = ("nama", "name", "nama_wilayah", "nama wilayah", "uname")
SOURCE_HEADERS = ("sumber", "sumber/bukti", "sumber_bukti", "sumber / bukti", "source", "bukti")
_TOKEN = re.compile(r"[\s·:|]+")

YES = {"ya", "y", "yes", "1", "1.0", "true", "benar", "ada"}
NO = {"tidak", "t", "tdk", "no", "n", "0", "0.0", "false", "salah", "tidak ada"}
MISSING = set(NUMBER_MISSING)  # the engine's one list of words for "no data"


class Collector:
    """Problems, listing at most ``cap`` of each (key, column); the rest are counted."""

    def __init__(self, table: RawTable, cap: int):
        self.table = table
        self.cap = cap
        self.problems: list[Problem] = []
        self._counts: dict[tuple[str, str], int] = {}

    def add(self, key: str, params: dict, column: str = "", severity: str = "error") -> None:
        k = (key, column)
        n = self._counts.get(k, 0) + 1
        self._counts[k] = n
        if n <= self.cap:
            self.problems.append(Problem(key, params, severity=severity))

    def cell(self, key: str, j: int, i: int, value, **extra) -> None:
        t = self.table
        params = t.place(j, t.rows[i])
        params["value"] = cell_text(value)
        params.update(extra)
        self.add(key, params, column=params["column"])

    def finish(self) -> list[Problem]:
        for (key, column), n in self._counts.items():
            if n > self.cap:
                self.problems.append(Problem("intake.more_problems", {
                    "file": self.table.file, "sheet": self.table.sheet, "count": n - self.cap,
                    "kind": key.removeprefix("intake."), "column": column or "-"}))
        return self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer():
            return str(int(v))
    text = str(v).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def header_key(h: str) -> str:
    return h.strip().lower()


def header_token(h: str) -> str:
    """First token of a header: 'i01 Kekerasan berbau SARA' -> 'i01'."""
    parts = _TOKEN.split(h.strip(), maxsplit=1)
    return parts[0].lower() if parts else ""


def find_column(table: RawTable, names: tuple[str, ...]) -> int | None:
    for j, h in enumerate(table.header):
        if header_key(h) in names or header_token(h) in names:
            return j
    return None


def code_strings(col: np.ndarray) -> np.ndarray:
    """Region codes as stripped strings (Excel numbers without '.0')."""
    return np.array([cell_text(v) for v in col], dtype=object)


def region_of(regions, code: str):
    """The region with this code from a region list, or None (whatever the list's lookup raises)."""
    if regions is None:
        return None
    try:
        return regions.get(code)
    except Exception:
        return None


def scope_codes(regions, level: str, parent: str | None) -> list | None:
    """Regions of ``level`` under ``parent`` from a region list (None without a list)."""
    if regions is None:
        return None
    return list(regions.at_level(level, parent=parent) if parent else regions.at_level(level))


def in_scope_by_code(code: str, level: str | None, parent: str | None) -> bool:
    if level and level_of_code(code) != level:
        return False
    return not parent or code.startswith(parent + ".")


def scope_text(level: str | None, parent: str | None) -> str:
    return f"{level or '*'}" + (f", {parent}.*" if parent else "")

