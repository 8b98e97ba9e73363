"""Limits an import enforces before it reads a file (size, rows, zip expansion)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Refuse files over these limits, before reading them into memory.

    ``max_part_bytes`` and ``max_ratio`` guard against decompression bombs: an XLSX is a zip,
    and a part that declares more than ``max_part_bytes`` uncompressed, or expands more than
    ``max_ratio`` times (parts over 1 MiB), is refused before any parsing.
    """

    max_bytes: int = 256 * 1024 * 1024  # the file on disk
    max_rows: int = 2_000_000  # data rows of one sheet / CSV / Parquet file
    max_part_bytes: int = 1024 * 1024 * 1024  # one part of an XLSX, uncompressed
    max_total_bytes: int = 2 * 1024 * 1024 * 1024  # all parts of an XLSX, uncompressed
    max_ratio: float = 200.0  # uncompressed / compressed size of a part
    max_problems_per_kind: int = 200  # listed per (kind, column); the rest are counted


DEFAULT_LIMITS = Limits()
