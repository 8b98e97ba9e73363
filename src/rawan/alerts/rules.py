"""Early-warning rules: a YAML file shipped beside the model, copied into an edition when it opens.

Format (``rawan-peringatan/1``)::

    format: rawan-peringatan/1
    model: ikp-2024
    assumptions: [{code, text: {id, en}}]
    rules:
      - id: politik-uang-3-dalam-7-hari
        kind: count            # N verified events of the indicators in a region within D days
        indicators: [i54]
        events: 3
        days: 7
      - id: skor-melewati-batas
        kind: score            # a region's live score crosses a class cut-off upward
      - id: laju-di-atas-dasar
        kind: rate             # events well above the region's baseline rate (Poisson tail)
        days: 14
        alpha: 0.01
        events: 3              # at least this many events, whatever the probability
        baseline_days: 365     # the period the published values cover
        assumption: poisson-baseline
      - id: kekerasan-di-tps
        kind: critical         # any event of the named indicators
        indicators: [i56]
        days: 1

Windows are fixed: window k of a rule covers ``anchor + k*days`` to ``anchor + (k+1)*days - 1``
(the anchor is the edition's publication date), so "once per rule, region and window" means the
same thing whatever order the events arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..engine.errors import Problem, RawanError, register_messages

FORMAT = "rawan-peringatan/1"
KINDS = ("count", "score", "rate", "critical")
_KEYS = {"id", "kind", "name", "indicators", "events", "days", "alpha", "baseline_days", "assumption",
         "description"}

MESSAGES = {
    "rules.yaml": {"id": "Berkas aturan peringatan {file} bukan YAML yang sah: {detail}.",
                   "en": "Early-warning rules file {file} is not valid YAML: {detail}."},
    "rules.format": {"id": "Berkas aturan peringatan {file}: 'format' harus {expected}.",
                     "en": "Early-warning rules file {file}: 'format' must be {expected}."},
    "rules.model": {"id": "Berkas aturan peringatan {file} untuk model {rules_model}, edisi memakai model {model}.",
                    "en": "Early-warning rules file {file} is for model {rules_model}; the edition uses {model}."},
    "rules.key": {"id": "Berkas aturan peringatan {file}, aturan ke-{n} ({rule}): kunci '{key}' tidak dikenal "
                        "(yang dikenal: {known}).",
                  "en": "Early-warning rules file {file}, rule {n} ({rule}): unknown key '{key}' (known: {known})."},
    "rules.value": {"id": "Berkas aturan peringatan {file}, aturan ke-{n} ({rule}): '{key}' {detail}.",
                    "en": "Early-warning rules file {file}, rule {n} ({rule}): '{key}' {detail_en}."},
    "rules.indicator": {"id": "Berkas aturan peringatan {file}, aturan ke-{n} ({rule}): indikator '{code}' "
                              "tidak ada di model {model}.",
                        "en": "Early-warning rules file {file}, rule {n} ({rule}): indicator '{code}' is not in "
                              "model {model}."},
    "rules.duplicate": {"id": "Berkas aturan peringatan {file}: kode aturan '{rule}' dipakai dua kali.",
                        "en": "Early-warning rules file {file}: rule id '{rule}' is used twice."},
    "rules.assumption": {"id": "Berkas aturan peringatan {file}, aturan ke-{n} ({rule}): asumsi '{code}' tidak "
                               "didefinisikan di bagian assumptions.",
                         "en": "Early-warning rules file {file}, rule {n} ({rule}): assumption '{code}' is not "
                               "defined under assumptions."},
}
register_messages(MESSAGES)


class RulesError(RawanError):
    """The rules file is wrong; every problem names the file, the rule and the key."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    name: dict  # {"id": ..., "en": ...}
    indicators: tuple[str, ...] = ()  # empty: every indicator (rate, score)
    events: int = 1
    days: int = 1
    alpha: float = 0.01
    baseline_days: int = 365
    assumption: str | None = None
    description: dict = field(default_factory=dict)

    def label(self, lang: str = "id") -> str:
        return self.name.get(lang) or self.name.get("id") or self.id

    def matches(self, indicator: str) -> bool:
        return not self.indicators or indicator in self.indicators


@dataclass(frozen=True)
class RuleSet:
    model: str
    rules: tuple[Rule, ...]
    assumptions: dict  # code -> {"id": ..., "en": ...}
    text: str  # the YAML as read (what an edition freezes)
    # after the vote: the indicators whose events mean a re-vote (PSU) or a dispute
    outcomes: dict = field(default_factory=dict)  # {"psu": (codes), "sengketa": (codes)}

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def rules_path(model_id: str) -> Path | None:
    """The rules file shipped beside a model (``rawan/models/peringatan/<model>.yaml``), or None."""
    p = Path(__file__).resolve().parents[1] / "models" / "peringatan" / f"{model_id}.yaml"
    return p if p.is_file() else None


def load_rules(model_id: str, spec=None) -> RuleSet | None:
    p = rules_path(model_id)
    return None if p is None else parse_rules(p.read_text(encoding="utf-8"), spec, file=p.name)


def _text(v) -> dict:
    if isinstance(v, str):
        return {"id": v, "en": v}
    if isinstance(v, dict):
        return {"id": str(v.get("id") or v.get("en") or ""), "en": str(v.get("en") or v.get("id") or "")}
    return {}


def parse_rules(text: str, spec=None, *, file: str = "peringatan.yaml") -> RuleSet:
    """Read and check a rules file (against ``spec`` when given); RulesError names every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise RulesError(Problem("rules.yaml", {"file": file, "detail": str(e).splitlines()[0]})) from None
    if not isinstance(raw, dict):
        raise RulesError(Problem("rules.yaml", {"file": file, "detail": "expected a mapping"}))
    problems: list[Problem] = []
    if raw.get("format") != FORMAT:
        problems.append(Problem("rules.format", {"file": file, "expected": FORMAT}))
    model = str(raw.get("model", ""))
    if spec is not None and model != spec.id:
        problems.append(Problem("rules.model", {"file": file, "rules_model": model, "model": spec.id}))
    assumptions = {str(a.get("code")): _text(a.get("text")) for a in raw.get("assumptions") or []
                   if isinstance(a, dict)}
    rules, seen = [], set()
    for n, r in enumerate(raw.get("rules") or [], start=1):
        rid = str(r.get("id", "")) if isinstance(r, dict) else ""
        where = {"file": file, "n": n, "rule": rid or "-"}

        def bad(key, detail, detail_en):
            problems.append(Problem("rules.value", {**where, "key": key, "detail": detail, "detail_en": detail_en}))

        if not isinstance(r, dict):
            bad("-", "harus berupa pemetaan", "must be a mapping")
            continue
        for key in r:
            if key not in _KEYS:
                problems.append(Problem("rules.key", {**where, "key": key, "known": ", ".join(sorted(_KEYS))}))
        if not rid:
            bad("id", "wajib diisi", "is required")
        elif rid in seen:
            problems.append(Problem("rules.duplicate", {"file": file, "rule": rid}))
        seen.add(rid)
        kind = r.get("kind")
        if kind not in KINDS:
            bad("kind", "harus salah satu dari " + ", ".join(KINDS), "must be one of " + ", ".join(KINDS))
            continue
        inds = r.get("indicators") or []
        if isinstance(inds, str):
            inds = [inds]
        inds = tuple(str(c) for c in inds)
        if spec is not None:
            for c in inds:
                if c not in spec.tree.indicators:
                    problems.append(Problem("rules.indicator", {**where, "code": c, "model": spec.id}))
        if kind in ("count", "critical") and not inds:
            bad("indicators", "wajib diisi untuk jenis " + kind, "is required for kind " + kind)

        def integer(key, default, low):
            v = r.get(key, default)
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                bad(key, f"harus bilangan bulat >= {low}", f"must be an integer >= {low}")
                return default
            return v

        events = integer("events", 3 if kind == "rate" else 1, 1)
        days = integer("days", 1, 1)
        baseline_days = integer("baseline_days", 365, 1)
        alpha = r.get("alpha", 0.01)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
            bad("alpha", "harus di antara 0 dan 1", "must be between 0 and 1")
            alpha = 0.01
        assumption = r.get("assumption")
        if assumption is not None and str(assumption) not in assumptions:
            problems.append(Problem("rules.assumption", {**where, "code": assumption}))
        if kind == "rate" and assumption is None:
            bad("assumption", "wajib untuk jenis rate (uji yang dipakai adalah asumsi)",
                "is required for kind rate (the test used is an assumption)")
        rules.append(Rule(id=rid, kind=kind, name=_text(r.get("name") or rid), indicators=inds, events=events,
                          days=days, alpha=float(alpha), baseline_days=baseline_days,
                          assumption=str(assumption) if assumption is not None else None,
                          description=_text(r.get("description")) if r.get("description") else {}))
    outcomes = {}
    for key, codes in (raw.get("outcomes") or {}).items():
        codes = tuple(str(c) for c in (codes if isinstance(codes, list) else [codes]))
        for c in codes:
            if spec is not None and c not in spec.tree.indicators:
                problems.append(Problem("rules.indicator", {"file": file, "n": 0, "rule": f"outcomes.{key}",
                                                            "code": c, "model": spec.id}))
        outcomes[str(key)] = codes
    if problems:
        raise RulesError(problems)
    return RuleSet(model=model, rules=tuple(rules), assumptions=assumptions, text=text, outcomes=outcomes)
