"""The framing chapter and the foreword (sambutan) of a book.

The framing comes from a sources file the models ship (``models/kerangka/pemetaan-kerawanan.yaml``):
definition, "bukan dalam konteks Kamtibmas", the legal basis of the book's election type (a
Pilkada book cites the Pilkada law, UU 1/2015 as amended up to UU 10/2016; a Pemilu book UU 7/2017),
purpose, how to read the map and the classes, and what the index cannot say.  The foreword is a
plain text file: an optional first line ``# Judul``, paragraphs separated by blank lines, and a
signature block after a line holding only ``--``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..engine import Problem, RawanError, register_messages

FRAMING_FILE = Path(__file__).resolve().parent.parent / "models" / "kerangka" / "pemetaan-kerawanan.yaml"
ELECTIONS = ("pemilu", "pilkada")


@lru_cache(maxsize=2)
def _load(path: str) -> dict:
    import yaml

    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _t(v, lang: str) -> str:
    if isinstance(v, dict):
        return " ".join(str(v.get(lang) or v.get("id") or "").split())
    return " ".join(str(v or "").split())


def framing(election: str = "pemilu", lang: str = "id", path: Path | None = None) -> dict:
    """The framing chapter as plain data: title, sections (title, paragraphs, quotes, items), sources."""
    if election not in ELECTIONS:
        raise RawanError(Problem("reports.election", {"value": election}))
    data = _load(str(path or FRAMING_FILE))
    titles = {s["id"]: _t(s["title"], lang) for s in data.get("sources", [])}
    sections, used = [], []
    for sec in data["sections"]:
        body = sec.get("election", {}).get(election, sec) if "election" in sec else sec
        sections.append({
            "id": sec["id"], "title": _t(sec["title"], lang),
            "paragraphs": [_t(p, lang) for p in body.get("paragraphs", [])],
            "quotes": [{"text": _t(q["text"], lang), "who": _t(q["who"], lang)} for q in sec.get("quotes", [])],
            "items": [_t(i, lang) for i in body.get("items", [])],
        })
        used += [s for s in body.get("sources", sec.get("sources", [])) if s not in used]
    return {"title": _t(data["title"], lang), "sections": sections,
            "sources": [titles.get(s, s) for s in used], "sources_label": "Sumber" if lang == "id" else "Sources",
            "election": election}


def read_sambutan(path, lang: str = "id") -> dict:
    """A foreword from a text file: {"title", "paragraphs", "signature"}."""
    p = Path(path)
    if not p.is_file():
        raise RawanError(Problem("reports.sambutan_missing", {"file": str(p)}))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RawanError(Problem("reports.sambutan_encoding", {"file": p.name})) from None
    lines = text.replace("\r\n", "\n").split("\n")
    title = "Sambutan" if lang == "id" else "Foreword"
    if lines and lines[0].startswith("#"):
        title = lines.pop(0).lstrip("#").strip() or title
    body, _, sig = "\n".join(lines).partition("\n--\n")
    paragraphs = [" ".join(b.split()) for b in body.split("\n\n") if b.strip()]
    if not paragraphs:
        raise RawanError(Problem("reports.sambutan_empty", {"file": p.name}))
    return {"title": title, "paragraphs": paragraphs, "signature": [s.strip() for s in sig.split("\n") if s.strip()]}


register_messages({
    "reports.election": {
        "id": "Jenis pemilihan '{value}' tidak dikenal: gunakan pemilu atau pilkada.",
        "en": "Unknown election type '{value}': use pemilu or pilkada.",
    },
    "reports.sambutan_missing": {
        "id": "Berkas sambutan {file} tidak ditemukan.",
        "en": "Foreword file {file} not found.",
    },
    "reports.sambutan_encoding": {
        "id": "Berkas sambutan {file} bukan teks UTF-8.",
        "en": "Foreword file {file} is not UTF-8 text.",
    },
    "reports.sambutan_empty": {
        "id": "Berkas sambutan {file} tidak berisi paragraf.",
        "en": "Foreword file {file} holds no paragraph.",
    },
})
