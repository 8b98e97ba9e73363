"""Early warning over verified events (plain library, no Django).

* :mod:`rawan.alerts.rules`: the rules file shipped beside a model (``models/peringatan/<model>.yaml``)
  and its checks against the model;
* :mod:`rawan.alerts.evaluate`: the incremental evaluator (one event at a time, once per rule,
  region and window) and the from-scratch evaluation it is checked against;
* :mod:`rawan.alerts.live`: a region's live score against an edition's stored reference (the
  published values plus what verified events since publication add).
"""

from .evaluate import Alert, Event, Evaluator, evaluate_from_scratch, poisson_tail
from .live import LiveScorer
from .rules import Rule, RuleSet, RulesError, load_rules, parse_rules, rules_path

__all__ = ["Alert", "Event", "Evaluator", "LiveScorer", "Rule", "RuleSet", "RulesError", "evaluate_from_scratch",
           "load_rules", "parse_rules", "poisson_tail", "rules_path"]
