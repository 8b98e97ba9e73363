"""Compile gettext catalogues (.po -> .mo) in pure Python, so no gettext tools are needed.

The committed .mo files are built with this; a test checks they match their .po files.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
TPS_LOCALE = Path(__file__).resolve().parent / "tps" / "locale"  # the TPS app's own catalogue
WARNINGS_LOCALE = Path(__file__).resolve().parent / "warnings" / "locale"  # early warning's (an app locale)
LOCALES = (LOCALE, TPS_LOCALE, WARNINGS_LOCALE)


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of the translated, non-fuzzy entries (plus the "" header)."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = False
        parts: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
            else:
                key, _, rest = line.partition(" ")
                current = key
                parts[key] = ast.literal_eval(rest)
        if "msgid" in parts and "msgstr" in parts and not fuzzy and (parts["msgstr"] or parts["msgid"] == ""):
            entries[parts["msgid"]] = parts["msgstr"]
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """GNU .mo format, keys sorted (what msgfmt writes, without a hash table)."""
    keys = sorted(entries)
    ids = b""
    strs = b""
    offsets = []
    for k in keys:
        kb, vb = k.encode("utf-8"), entries[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    n = len(keys)
    key_start = 7 * 4 + 16 * n
    val_start = key_start + len(ids)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + key_start]
        voffsets += [l2, o2 + val_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    return header + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) + ids + strs


def compile_all(locale: Path | None = None) -> list[Path]:
    out = []
    for po in sorted(p for loc in ((locale,) if locale else LOCALES) for p in loc.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        tmp = mo.with_suffix(".mo.tmp")
        tmp.write_bytes(mo_bytes(read_po(po)))
        tmp.replace(mo)
        out.append(mo)
    return out
