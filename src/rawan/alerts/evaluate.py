"""Rules evaluated one verified event at a time; each alert once per rule, region and window.

The evaluator keeps, per rule, region and window, the events that fell into it, and the keys of
the alerts already raised.  Adding an event touches only the rules that read its indicator (and
the region's live score for ``score`` rules), so a campaign of thousands of events costs the same
per event at the end as at the start.  :func:`evaluate_from_scratch` replays a whole stream with a
fresh evaluator: the web app and the benchmark compare the two.

Kinds (rules.py): ``count`` fires at the event that brings a window's count to N; ``critical`` at
the first event of a window; ``rate`` at the event from which the window's count is improbable
under the region's baseline rate, P(X >= n | Poisson(rate * days)) < alpha, with at least
``events`` events (a named assumption); ``score`` when the live score moves the region into a
higher class than the published one (the window is the class reached).

Numbers are kept with every alert so the page can say why: the count and threshold; the expected
count, the tail probability and alpha; the published and live score and the cut-off crossed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .rules import Rule, RuleSet


@dataclass(frozen=True)
class Event:
    id: int
    region: str  # the edition-level region the event counts for
    indicator: str
    date: dt.date
    weight: float = 1.0


@dataclass
class Alert:
    rule: str
    kind: str
    region: str
    window: str  # "YYYY-MM-DD/YYYY-MM-DD", or "kelas:<label>" for score rules
    event: int  # the event at which it fired
    events: list[int]
    numbers: dict
    window_start: dt.date | None = None
    window_end: dt.date | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.region, self.window)


def poisson_tail(n: int, mu: float) -> float:
    """P(X >= n) for X ~ Poisson(mu), accurate in the far tail (summed upward from n)."""
    if n <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if n <= mu:  # the body: one minus the lower sum
        term = math.exp(-mu)
        s = term
        for i in range(1, n):
            term *= mu / i
            s += term
        return max(0.0, 1.0 - s)
    term = math.exp(-mu + n * math.log(mu) - math.lgamma(n + 1))
    s = 0.0
    i = n
    while term > s * 1e-17 and i < n + 10000:
        s += term
        i += 1
        term *= mu / i
    return min(1.0, s)


@dataclass
class Evaluator:
    """Incremental evaluation of one edition's rules.

    ``anchor``: day 0 of every rule's windows (the publication date).  ``scorer``: a LiveScorer
    (or anything with ``has``, ``baseline``, ``live``, ``label``, ``cutoffs``, ``baseline_count``)
    for ``score`` and ``rate`` rules; without one those rules are skipped.  ``fired``: keys of the
    alerts already raised (restored from storage), never raised again.
    """

    rules: RuleSet | list[Rule] | tuple[Rule, ...]
    anchor: dt.date
    scorer: object | None = None
    fired: set = field(default_factory=set)

    def __post_init__(self):
        rules = self.rules.rules if isinstance(self.rules, RuleSet) else tuple(self.rules)
        self._by_indicator: dict[str, list[Rule]] = {}
        self._any: list[Rule] = []
        self._score: list[Rule] = []
        for r in rules:
            if r.kind == "score":
                self._score.append(r)
            elif r.indicators:
                for c in r.indicators:
                    self._by_indicator.setdefault(c, []).append(r)
            else:
                self._any.append(r)
        self._bins: dict[tuple, list[int]] = {}
        self._seen: set[int] = set()
        self._added: dict[str, dict[str, float]] = {}
        self.fired = set(self.fired)
        self.joined: list[tuple[tuple, int]] = []  # (alert key, event id) of the last add()

    # ---- windows -------------------------------------------------------------------------------
    def window(self, rule: Rule, date: dt.date) -> tuple[str, dt.date, dt.date]:
        k = (date - self.anchor).days // rule.days
        start = self.anchor + dt.timedelta(days=k * rule.days)
        end = start + dt.timedelta(days=rule.days - 1)
        return f"{start.isoformat()}/{end.isoformat()}", start, end

    # ---- one event ---------------------------------------------------------------------------------
    def add(self, ev: Event, *, score: bool = True) -> list[Alert]:
        """The alerts this verified event raises (none for an event seen before)."""
        self.joined = []
        if ev.id in self._seen:
            return []
        self._seen.add(ev.id)
        out: list[Alert] = []
        for rule in self._by_indicator.get(ev.indicator, ()):
            a = self._binned(rule, ev)
            if a is not None:
                out.append(a)
        for rule in self._any:
            a = self._binned(rule, ev)
            if a is not None:
                out.append(a)
        if self._score:
            added = self._added.setdefault(ev.region, {})
            added[ev.indicator] = added.get(ev.indicator, 0.0) + ev.weight
            if score:
                out.extend(self._score_alerts(ev.region, ev.id))
        return out

    def _binned(self, rule: Rule, ev: Event) -> Alert | None:
        window, start, end = self.window(rule, ev.date)
        key = (rule.id, ev.region, window)
        ids = self._bins.setdefault(key, [])
        ids.append(ev.id)
        if key in self.fired:
            self.joined.append((key, ev.id))
            return None
        n = len(ids)
        if rule.kind == "count":
            if n < rule.events:
                return None
            numbers = {"count": n, "threshold": rule.events, "days": rule.days}
        elif rule.kind == "critical":
            numbers = {"count": n, "indicator": ev.indicator}
        else:  # rate
            if n < rule.events or self.scorer is None:
                return None
            base = self.scorer.baseline_count(ev.region, rule.indicators)
            rate = (base + 1.0) / rule.baseline_days  # add-one: a region with nothing published
            expected = rate * rule.days
            p = poisson_tail(n, expected)
            if p >= rule.alpha:
                return None
            numbers = {"count": n, "expected": round(expected, 6), "p": p, "alpha": rule.alpha,
                       "baseline": base, "baseline_days": rule.baseline_days, "days": rule.days}
        self.fired.add(key)
        return Alert(rule=rule.id, kind=rule.kind, region=ev.region, window=window, event=ev.id,
                     events=list(ids), numbers=numbers, window_start=start, window_end=end)

    def _score_alerts(self, region: str, event_id: int) -> list[Alert]:
        sc = self.scorer
        if sc is None or not sc.has(region):
            return []
        base_score, base_cls = sc.baseline(region)
        if base_cls < 0:
            return []
        # the lowest cut-off above the published class whose alert has not fired yet
        k = base_cls
        while k < len(sc.cutoffs) and all((r.id, region, f"kelas:{sc.label(k + 1)}") in self.fired
                                          for r in self._score):
            k += 1
        if k >= len(sc.cutoffs):  # already the top class, or every class above has fired
            return []
        added = self._added.get(region, {})
        bound = getattr(sc, "upper_bound", lambda *_: None)(region, added)
        if bound is not None and bound < sc.cutoffs[k] - 1e-9:  # cannot reach it: no computation
            return []
        live_score, live_cls = sc.live({region: added})[region]
        if hasattr(sc, "remember"):
            sc.remember(region, added, live_score)
        out = []
        if live_cls <= base_cls or live_cls < 0:
            return out
        for rule in self._score:
            key = (rule.id, region, f"kelas:{sc.label(live_cls)}")
            if key in self.fired:
                continue
            self.fired.add(key)
            cut = sc.cutoffs[live_cls - 1] if 0 < live_cls <= len(sc.cutoffs) else None
            out.append(Alert(rule=rule.id, kind="score", region=region, window=key[2], event=event_id,
                             events=[event_id],
                             numbers={"baseline_score": round(base_score, 6), "live_score": round(live_score, 6),
                                      "cutoff": cut, "baseline_class": sc.label(base_cls),
                                      "live_class": sc.label(live_cls)}))
        return out

    # ---- restore -----------------------------------------------------------------------------------
    def restore(self, events: list[Event]) -> list[Alert]:
        """Re-read events already evaluated (in verification order); returns alerts that should
        have been raised and are not among ``fired`` (a crash between verifying and recording)."""
        out = []
        regions = []
        for ev in events:
            out.extend(self.add(ev, score=False))
            regions.append(ev.region)
        for r in dict.fromkeys(regions):
            out.extend(self._score_alerts(r, max(e.id for e in events if e.region == r)))
        return out


def evaluate_from_scratch(rules, anchor: dt.date, events: list[Event], scorer=None) -> list[Alert]:
    """Every alert of a stream, evaluated by a fresh evaluator over all of it (the reference the
    incremental path is checked and benchmarked against)."""
    ev = Evaluator(rules, anchor, scorer=scorer)
    out = []
    for e in events:
        out.extend(ev.add(e))
    return out
