"""Early-warning rules over designed event streams: each rule fires exactly once per window, at
the right event, with the right numbers; replaying a stream fires nothing new."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from rawan.alerts import (Event, Evaluator, LiveScorer, RulesError, evaluate_from_scratch, load_rules, parse_rules,
                          poisson_tail)
from rawan.alerts.rules import Rule
from rawan.engine import compute, load_spec
from rawan.engine.data import Dataset

D0 = dt.date(2024, 9, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


COUNT = Rule(id="c", kind="count", name={"id": "c", "en": "c"}, indicators=("i54",), events=3, days=7)
CRIT = Rule(id="k", kind="critical", name={"id": "k", "en": "k"}, indicators=("i56",), days=1)


def test_count_rule_fires_once_per_window_at_the_third_event():
    ev = Evaluator([COUNT], D0)
    stream = [Event(1, "15.01", "i54", day(0)), Event(2, "15.01", "i54", day(3)), Event(3, "15.02", "i54", day(3)),
              Event(4, "15.01", "i53", day(4)), Event(5, "15.01", "i54", day(6)), Event(6, "15.01", "i54", day(6)),
              Event(7, "15.01", "i54", day(7)), Event(8, "15.01", "i54", day(8)), Event(9, "15.01", "i54", day(13))]
    fired = {e.id: ev.add(e) for e in stream}
    assert [k for k, v in fired.items() if v] == [5, 9]
    a = fired[5][0]
    assert (a.rule, a.region, a.window, a.events) == ("c", "15.01", "2024-09-01/2024-09-07", [1, 2, 5])
    assert a.numbers == {"count": 3, "threshold": 3, "days": 7}
    assert ev.joined == []
    b = fired[9][0]
    assert (b.window, b.events, b.window_start, b.window_end) == ("2024-09-08/2024-09-14", [7, 8, 9], day(7), day(13))
    # event 6 falls in the window that already fired: joins it, no new alert
    ev2 = Evaluator([COUNT], D0)
    for e in stream[:5]:
        ev2.add(e)
    assert ev2.add(stream[5]) == [] and ev2.joined == [(("c", "15.01", "2024-09-01/2024-09-07"), 6)]


def test_out_of_order_dates_count_in_their_own_window():
    ev = Evaluator([COUNT], D0)
    assert ev.add(Event(1, "15.01", "i54", day(10))) == []
    assert ev.add(Event(2, "15.01", "i54", day(2))) == []
    assert ev.add(Event(3, "15.01", "i54", day(9))) == []
    [a] = ev.add(Event(4, "15.01", "i54", day(12)))
    assert a.events == [1, 3, 4] and a.window == "2024-09-08/2024-09-14"


def test_critical_fires_at_first_event_of_each_day_and_region():
    ev = Evaluator([CRIT], D0)
    out = [ev.add(Event(i, r, "i56", day(d))) for i, (r, d) in enumerate(
        [("15.01", 0), ("15.01", 0), ("15.02", 0), ("15.01", 1)], start=1)]
    assert [bool(x) for x in out] == [True, False, True, True]
    assert out[0][0].numbers == {"count": 1, "indicator": "i56"}


def test_replay_fires_nothing_new():
    ev = Evaluator([COUNT, CRIT], D0)
    stream = [Event(i, "15.01", "i54" if i % 2 else "i56", day(i // 3)) for i in range(1, 30)]
    first = [a for e in stream for a in ev.add(e)]
    assert first
    assert [a for e in stream for a in ev.add(e)] == []
    # a new evaluator that knows what fired and re-reads the stream raises nothing either
    again = Evaluator([COUNT, CRIT], D0, fired={a.key for a in first})
    assert again.restore(stream) == []
    # one that lost the record of one alert raises exactly that one (catch-up, never lost)
    lost = first[1]
    again = Evaluator([COUNT, CRIT], D0, fired={a.key for a in first} - {lost.key})
    [catch_up] = again.restore(stream)
    assert catch_up.key == lost.key and catch_up.events == lost.events


events_st = st.lists(st.tuples(st.sampled_from(["15.01", "15.02", "15.03"]), st.sampled_from(["i54", "i56", "i53"]),
                               st.integers(0, 40)), max_size=60)


@given(events_st, st.randoms(use_true_random=False))
def test_incremental_equals_from_scratch_and_replay_is_silent(rows, rnd):
    rules = [COUNT, CRIT, Rule(id="c2", kind="count", name={}, indicators=("i53", "i54"), events=2, days=3)]
    stream = [Event(i, r, ind, day(d)) for i, (r, ind, d) in enumerate(rows, start=1)]
    ev = Evaluator(rules, D0)
    inc = [a for e in stream for a in ev.add(e)]
    assert [a.key for a in inc] == [a.key for a in evaluate_from_scratch(rules, D0, stream)]
    assert len({a.key for a in inc}) == len(inc)  # once per rule, region, window
    # every window with at least N events has exactly one alert; no other window has one
    for rule in rules:
        bins: dict = {}
        for e in stream:
            if rule.matches(e.indicator):
                bins.setdefault((e.region, ev.window(rule, e.date)[0]), []).append(e.id)
        expected = {(rule.id, r, w) for (r, w), ids in bins.items() if len(ids) >= rule.events}
        assert {a.key for a in inc if a.rule == rule.id} == expected
        for a in inc:
            if a.rule == rule.id:  # fired at the N-th event of its window
                assert a.event == bins[(a.region, a.window)][rule.events - 1]
    # the set of alerts does not depend on verification order
    shuffled = list(stream)
    rnd.shuffle(shuffled)
    assert {a.key for a in evaluate_from_scratch(rules, D0, shuffled)} == {a.key for a in inc}
    assert [a for e in stream for a in ev.add(e)] == []


def test_poisson_tail_known_values():
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))
    # P(X >= 3 | mu = 1) = 1 - e^-1 (1 + 1 + 1/2)
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * 2.5, rel=1e-12)
    # far tail summed upward: P(X >= 20 | 0.1) ~ 0.1^20 e^-0.1 / 20!
    assert poisson_tail(20, 0.1) == pytest.approx(0.1 ** 20 * math.exp(-0.1) / math.factorial(20), rel=1e-9)
    assert poisson_tail(5, 0.0) == 0.0


@pytest.fixture(scope="module")
def scorer():
    spec = load_spec("ikp-2024")
    codes = ["15.01", "15.02", "15.03"]
    values = np.zeros((3, len(spec.tree.indicators)))
    values[1, :] = 2.0  # 15.02 has events everywhere
    data = Dataset(codes=codes, columns=list(spec.tree.indicators), values=values, names=codes)
    return LiveScorer(compute(spec, data, region_level="kabupaten_kota"))


def test_rate_rule_numbers_against_the_poisson_tail(scorer):
    rule = Rule(id="r", kind="rate", name={}, indicators=("i54",), events=2, days=14, alpha=0.01,
                baseline_days=365, assumption="poisson-baseline")
    ev = Evaluator([rule], D0, scorer=scorer)
    # 15.01 published 0 events of i54: rate (0 + 1) / 365 per day, expected 14/365 in 14 days
    assert ev.add(Event(1, "15.01", "i54", day(0))) == []  # one event: below the minimum of 2
    [a] = ev.add(Event(2, "15.01", "i54", day(1)))
    mu = 14 / 365
    assert a.numbers["expected"] == pytest.approx(mu, abs=1e-6)
    assert a.numbers["p"] == pytest.approx(poisson_tail(2, mu)) and a.numbers["p"] < 0.01
    # 15.02 published 2 (weighted) events of i54: expected 14*3/365; two events: P ~ 0.006 -> fires;
    # with baseline 2 the rate is three times 15.01's, so the same two events are less surprising
    ev.add(Event(3, "15.02", "i54", day(0)))
    [b] = ev.add(Event(4, "15.02", "i54", day(0)))
    assert b.numbers["baseline"] == 2.0 and b.numbers["p"] > a.numbers["p"]


def test_score_rule_fires_when_the_live_class_rises(scorer):
    rule = Rule(id="s", kind="score", name={})
    ev = Evaluator([rule], D0, scorer=scorer)
    base, cls = scorer.baseline("15.01")
    assert scorer.label(cls) == "rendah"
    alerts, n = [], 0
    while not alerts:
        n += 1
        assert n < 500
        alerts = ev.add(Event(n, "15.01", f"i{(n % 61) + 1:02d}", day(0), weight=3.0))
    [a] = alerts
    assert a.numbers["baseline_class"] == "rendah" and a.numbers["live_class"] == "sedang"
    assert a.numbers["live_score"] >= a.numbers["cutoff"] == 13.47 > a.numbers["baseline_score"]
    # the live score of the previous event was still below the cut-off: fired at the right event
    prev = scorer.live({"15.01": {k: v - (3.0 if k == f"i{(n % 61) + 1:02d}" else 0.0)
                                  for k, v in ev._added["15.01"].items()}})["15.01"]
    assert prev[0] < 13.47
    # one event moves only its own region
    assert scorer.live({"15.01": ev._added["15.01"], "15.02": {}})["15.02"][0] == scorer.baseline("15.02")[0]


def test_shipped_rules_check_against_the_model():
    spec = load_spec("ikp-2024")
    rules = load_rules("ikp-2024", spec)
    assert {r.kind for r in rules.rules} == {"count", "score", "rate", "critical"}
    assert "poisson-baseline" in rules.assumptions


def test_bad_rules_name_file_rule_and_key():
    spec = load_spec("ikp-2024")
    text = ("format: rawan-peringatan/1\nmodel: ikp-2024\nrules:\n"
            "  - {id: a, kind: count, indicators: [i99], events: 0, days: 7, colour: red}\n"
            "  - {id: b, kind: rate, days: 7}\n")
    with pytest.raises(RulesError) as e:
        parse_rules(text, spec, file="aturan.yaml")
    msgs = [p.render("id") for p in e.value.problems]
    assert any("aturan.yaml" in m and "(a)" in m and "i99" in m for m in msgs)
    assert any("'colour'" in m for m in msgs) and any("'events'" in m for m in msgs)
    assert any("(b)" in m and "'assumption'" in m for m in msgs)


@given(st.lists(st.tuples(st.sampled_from(["15.01", "15.02", "15.03"]), st.integers(1, 61),
                          st.sampled_from([1.0, 2.0, 3.0])), max_size=120))
def test_score_screening_is_exact(scorer, rows):
    """The linear upper bound only skips computations that could not reach a cut-off: the alerts
    are those of recomputing the live score after every event."""
    import copy

    plain = copy.copy(scorer)
    plain.slopes, plain._exact = None, {}
    screened = copy.copy(scorer)
    screened._exact = {}
    assert screened.slopes is not None  # ikp-2024 is of the linear kind
    rule = Rule(id="s", kind="score", name={})
    stream = [Event(i, r, f"i{k:02d}", day(0), weight=w) for i, (r, k, w) in enumerate(rows, start=1)]
    a = evaluate_from_scratch([rule], D0, stream, scorer=plain)
    b = evaluate_from_scratch([rule], D0, stream, scorer=screened)
    assert [(x.key, x.event) for x in a] == [(x.key, x.event) for x in b]
    for x, y in zip(a, b):
        assert x.numbers == y.numbers


def test_upper_bound_is_above_the_live_score(scorer):
    import copy

    scorer = copy.copy(scorer)
    scorer._exact = {}
    added = {"i05": 4.0, "i54": 9.0, "i02": 2.0}
    bound = scorer.upper_bound("15.01", added)
    live = scorer.live({"15.01": added})["15.01"][0]
    assert bound >= live > scorer.baseline("15.01")[0]
