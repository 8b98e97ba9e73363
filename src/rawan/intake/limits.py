"""Limits an import enforces before it reads a file (size, rows, zip expansion)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Refuse files over these limits, before reading them into memory.

    ``max_part_bytes`` and ``max_ratio`` guard against decompression bombs: an XLSX is a zip,
    and a part that declares more than ``max_part_bytes`` uncompressed, or expands more than
    ``max_ratio`` times (parts over 1 MiB), is refused before any parsing.  Declared sizes can
    lie, so the bytes actually decompressed are counted too, and the sheet's rows and cells are
    counted while it streams (``<row>``, ``<row r=..>``, ``<x:row>`` alike): the read stops at the
    first chunk over a limit, before the cell reader builds anything in memory.

    ``max_cells`` bounds the grid the cell reader builds (rows x the widest column referenced),
    so it bounds memory: about 70-100 bytes per cell, i.e. ~0.5 GB at the default 6 million cells.
    The web app uses the tighter :data:`WEB_LIMITS` (an operator's upload).
    """

    max_bytes: int = 256 * 1024 * 1024  # the file on disk
    max_rows: int = 2_000_000  # data rows of one sheet / CSV / Parquet file
    max_cells: int = 6_000_000  # rows x columns of the XLSX data sheet's grid (83,000 desa x 61 indicators fit)
    max_part_bytes: int = 1024 * 1024 * 1024  # one part of an XLSX, uncompressed
    max_total_bytes: int = 2 * 1024 * 1024 * 1024  # all parts of an XLSX, uncompressed
    max_ratio: float = 200.0  # uncompressed / compressed size of a part
    max_problems_per_kind: int = 200  # listed per (kind, column); the rest are counted


DEFAULT_LIMITS = Limits()
# an upload through the web app: one operator's regions (a kab/kota has at most a few hundred desa)
WEB_LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_rows=100_000, max_cells=1_000_000,
                    max_part_bytes=256 * 1024 * 1024, max_total_bytes=512 * 1024 * 1024)
