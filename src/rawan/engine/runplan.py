"""What varies in an uncertainty analysis and how: :class:`Design` -> :class:`RunPlan`.

A :class:`Design` declares the uncertain inputs of a recipe: the weights (each
multiplied by a uniform factor in [1-p, 1+p] at chosen levels, or Dirichlet
around the nominal weights), and discrete alternatives for the normalisation,
the imputation, the aggregation per level, the category rule, and leaving one
indicator out.  Every run of a design is made from one row of uniform numbers
in [0, 1), so the same design serves plain Monte Carlo (uncertainty) and
Saltelli sampling (sensitivity).

A :class:`RunPlan` is the explicit list of runs: per run, which alternative of
each discrete input and the absolute weight of every node.  It can be written
to and read from a table (one row per run), so a design made elsewhere (COINr)
is replayed exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import methods as M
from .numbers import parse_numbers
from .errors import Problem, SpecError, register_messages
from .spec import Spec

NOMINAL = "nominal"

# COINr's function names, accepted in plan files
ALIASES = {
    ("normalisation", "n_minmax"): ("minmax", {"lower": 0.0, "upper": 100.0}),
    ("normalisation", "n_zscore"): ("zscore", {"mean": 0.0, "sd": 1.0}),
    ("normalisation", "n_rank"): ("rank", {}),
    ("aggregation", "a_amean"): ("arithmetic", {}),
    ("aggregation", "a_gmean"): ("geometric", {}),
    ("aggregation", "a_hmean"): ("harmonic", {}),
}

MESSAGES = {
    "robust.plan_column": {
        "id": "Rencana run {file}: kolom '{column}' tidak dikenal (bukan kode model dan bukan salah satu dari {known}).",
        "en": "Run plan {file}: unknown column '{column}' (not a model code and not one of {known}).",
    },
    "robust.plan_value": {
        "id": "Rencana run {file}, baris {row}, kolom '{column}': nilai '{value}' tidak sah ({detail}).",
        "en": "Run plan {file}, row {row}, column '{column}': invalid value '{value}' ({detail}).",
    },
    "robust.plan_empty": {
        "id": "Rencana run {file} tidak berisi satu run pun.",
        "en": "Run plan {file} holds no runs.",
    },
    "robust.design": {
        "id": "Rancangan analisis ketidakpastian: {detail}",
        "en": "Uncertainty design: {detail}",
    },
    "robust.method_failed": {
        "id": "Kombinasi metode gagal pada data ini ({combo}): {detail}. Keluarkan kombinasi ini dari rancangan.",
        "en": "A combination of methods fails on this data ({combo}): {detail}. Leave it out of the design.",
    },
    "robust.runs": {
        "id": "Jumlah run harus bilangan bulat >= {min}, bukan {runs}.",
        "en": "The number of runs must be a whole number >= {min}, not {runs}.",
    },
}
register_messages(MESSAGES)


# --------------------------------------------------------------------------
# alternatives of a discrete input


@dataclass(frozen=True)
class Choice:
    """One alternative of a discrete input: a method name and its parameters,
    or ``nominal`` (whatever the model says, per node)."""

    method: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        if not self.params:
            return self.method
        return f"{self.method}(" + ", ".join(f"{k}={_fmt_value(v)}" for k, v in self.params) + ")"

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)

    @classmethod
    def of(cls, step: str, value: Any) -> "Choice":
        """From a label ``name`` / ``name(k=v, ...)``, a dict ``{method: name, k: v}`` or a Choice."""
        if isinstance(value, Choice):
            return value
        if isinstance(value, dict):
            d = dict(value)
            name = str(d.pop("method", d.pop("rule", "")))
            params = d
        else:
            name, params = _parse_label(str(value))
        if (step, name) in ALIASES:
            name, base = ALIASES[(step, name)]
            params = {**base, **params}
        if name == NOMINAL:
            return cls(NOMINAL)
        if step == "category":
            M.get("classification", name)
            params = {k: v for k, v in params.items() if k != "labels"}
            M.get("classification", name).bind(params)
        else:
            M.get(step, name).bind(params)  # unknown method / parameter -> KeyError / TypeError
        return cls(name, tuple(sorted(params.items())))


def _fmt_value(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(_fmt_value(x) for x in v) + "]"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


_LABEL = re.compile(r"^\s*([A-Za-z_][\w]*)\s*(?:\((.*)\))?\s*$")


def _parse_scalar(s: str) -> Any:
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        return tuple(_parse_scalar(x) for x in s[1:-1].replace(",", " ").split())
    try:
        return float(s)
    except ValueError:
        return s


def _parse_label(text: str) -> tuple[str, dict[str, Any]]:
    m = _LABEL.match(text)
    if not m:
        raise ValueError(f"expected name or name(key=value, ...), got {text!r}")
    params: dict[str, Any] = {}
    inner = (m.group(2) or "").strip()
    if inner:
        for part in re.split(r",(?![^\[]*\])", inner):
            if "=" not in part:
                raise ValueError(f"expected key=value, got {part.strip()!r}")
            k, v = part.split("=", 1)
            params[k.strip()] = _parse_scalar(v)
    return m.group(1), params


# --------------------------------------------------------------------------
# the design


@dataclass
class WeightDesign:
    """How weights vary. ``levels``: tree levels whose nodes' weights vary (1 =
    indicators); default every level below the index.  ``uniform``: each weight
    times U(1 - spread, 1 + spread), independently.  ``dirichlet``: the weights
    of each parent's children ~ Dirichlet(concentration * nominal share), scaled
    to the nominal total (uncertainty only: Saltelli needs uniforms).
    ``group``: for sensitivity analysis, one factor per level (``"level"``), one
    per weight (``"node"``), or every weight together as one input (``"all"``)."""

    spread: float = 0.25
    levels: tuple[int, ...] | None = None
    distribution: str = "uniform"
    concentration: float = 50.0
    group: str = "level"


@dataclass
class Design:
    """The uncertain inputs.  Discrete inputs are lists of alternatives (labels
    like ``"zscore(mean=50, sd=10)"``, dicts, or :class:`Choice`); ``"nominal"``
    stands for the model's own choice.  ``None`` = not uncertain."""

    weights: WeightDesign | None = field(default_factory=WeightDesign)
    normalisation: list[Any] | None = None
    imputation: list[Any] | None = None
    aggregation: dict[int, list[Any]] | None = None  # tree level of the aggregate -> alternatives
    category: list[Any] | None = None  # classification rules: {"rule": "mean_sd", "k": 1}, ...
    leave_one_out: bool = False

    @classmethod
    def default(cls, spec: Spec, raw: np.ndarray | None = None) -> "Design":
        """Weights x U(0.75, 1.25) below the index; where the model normalises by
        min-max to [0, 100] and every value is >= 0, also distance-to-max
        (x / max x * 100), the other normalisation that keeps the 0-100 scale,
        zero at "no events" and the leader at 100, so fixed cut-offs keep their meaning."""
        norm = None
        kinds = {spec.tree.resolve(spec, c, "normalisation").method.name for c in spec.tree.indicators}
        nonneg = raw is None or not np.any(raw[~np.isnan(raw)] < 0)
        if kinds == {"minmax"} and nonneg:
            norm = [NOMINAL, "distance_to_max(scale=100)"]
        return cls(weights=WeightDesign(), normalisation=norm)

    def inputs(self, spec: Spec) -> "Inputs":
        return Inputs.build(spec, self)

    def sample(self, spec: Spec, runs: int, seed: int = 0) -> "RunPlan":
        """``runs`` runs drawn from this design (plain Monte Carlo), reproducible from ``seed``."""
        if not (isinstance(runs, (int, np.integer)) and runs >= 1):
            raise SpecError(Problem("robust.runs", {"runs": runs, "min": 1}))
        inp = self.inputs(spec)
        rng = np.random.default_rng(seed)
        U = rng.random((int(runs), inp.width))
        plan = inp.plan_from_uniforms(U)
        if self.weights is not None and self.weights.distribution == "dirichlet":
            plan.weights = inp.dirichlet_weights(rng, int(runs), plan.leave_out)
        return plan


@dataclass
class Inputs:
    """A design compiled for a spec: the columns of the uniform sample and the
    named factors (groups of columns) they form."""

    spec: Spec
    design: Design
    nominal_weights: np.ndarray  # (m + p,) in plan column order (indicators, aggregates)
    varied: np.ndarray  # positions of weights that vary
    discrete: dict[str, list[Choice]]  # input name -> alternatives
    factors: dict[str, np.ndarray]  # factor name -> columns of U
    width: int

    @classmethod
    def build(cls, spec: Spec, design: Design) -> "Inputs":
        tree = spec.tree
        cols = list(tree.indicators) + list(tree.aggregates)
        w0 = np.array([tree.nodes[c].weight for c in cols], dtype=float)
        factors: dict[str, list[int]] = {}
        width = 0
        varied = np.array([], dtype=int)
        wd = design.weights
        if wd is not None:
            if wd.distribution not in ("uniform", "dirichlet"):
                raise SpecError(Problem("robust.design", {"detail": f"weights distribution {wd.distribution!r}: use uniform or dirichlet"}))
            if not 0 <= wd.spread < 1:
                raise SpecError(Problem("robust.design", {"detail": f"weight spread {wd.spread} must be in [0, 1)"}))
            top = tree.level[tree.root]
            levels = wd.levels if wd.levels is not None else tuple(range(1, top))
            bad = [lv for lv in levels if not 1 <= lv < top]
            if bad:
                raise SpecError(Problem("robust.design", {"detail": f"weight levels {bad}: the model has levels 1-{top - 1} below the index"}))
            varied = np.array([j for j, c in enumerate(cols) if tree.level[c] in levels and c != tree.root], dtype=int)
            if wd.group == "node":
                for k, j in enumerate(varied):
                    factors[f"weight_{cols[j]}"] = [width + k]
            elif wd.group == "level":
                for lv in sorted(set(levels)):
                    pos = [k for k, j in enumerate(varied) if tree.level[cols[j]] == lv]
                    factors[f"weights_L{lv}"] = [width + k for k in pos]
            elif wd.group == "all":  # every weight one uncertain input (as COINr's SA can treat them)
                factors["weights"] = [width + k for k in range(len(varied))]
            else:
                raise SpecError(Problem("robust.design", {"detail": f"weights group {wd.group!r}: use level, node or all"}))
            width += len(varied)
        discrete: dict[str, list[Choice]] = {}

        def add(name: str, step: str, options: list[Any] | None):
            nonlocal width
            if not options:
                return
            try:
                choices = [Choice.of(step, o) for o in options]
            except (KeyError, TypeError, ValueError) as e:
                raise SpecError(Problem("robust.design", {"detail": f"{name}: {e}"})) from None
            discrete[name] = choices
            factors[name] = [width]
            width += 1

        add("imputation", "imputation", design.imputation)
        add("normalisation", "normalisation", design.normalisation)
        for lv, opts in sorted((design.aggregation or {}).items()):
            if not any(tree.level[a] == lv for a in tree.aggregates):
                raise SpecError(Problem("robust.design", {"detail": f"aggregation level {lv}: no aggregate at that level"}))
            add(f"aggregation_L{lv}", "aggregation", opts)
        add("category", "category", design.category)
        if design.leave_one_out:
            discrete["leave_out"] = [Choice(NOMINAL)] + [Choice(c) for c in tree.indicators]
            factors["leave_out"] = [width]
            width += 1
        return cls(spec, design, w0, varied, discrete,
                   {k: np.array(v, dtype=int) for k, v in factors.items() if len(v)}, width)

    def plan_from_uniforms(self, U: np.ndarray) -> "RunPlan":
        """Map rows of uniforms in [0, 1) to runs."""
        N = U.shape[0]
        W = np.tile(self.nominal_weights, (N, 1))
        if len(self.varied):
            p = self.design.weights.spread
            W[:, self.varied] *= (1.0 - p) + 2.0 * p * U[:, : len(self.varied)]
        picks: dict[str, np.ndarray] = {}
        for name, opts in self.discrete.items():
            u = U[:, self.factors[name][0]]
            picks[name] = np.minimum((u * len(opts)).astype(np.int64), len(opts) - 1)
        leave = picks.pop("leave_out", None)
        leave_out = np.full(N, -1) if leave is None else leave - 1
        options = {k: v for k, v in self.discrete.items() if k != "leave_out"}
        return RunPlan(self.spec, W, {k: picks[k] for k in options}, options, leave_out)

    def dirichlet_weights(self, rng: np.random.Generator, N: int, leave_out: np.ndarray) -> np.ndarray:
        tree = self.spec.tree
        cols = list(tree.indicators) + list(tree.aggregates)
        pos = {c: j for j, c in enumerate(cols)}
        W = np.tile(self.nominal_weights, (N, 1))
        varied = set(self.varied.tolist())
        alpha = self.design.weights.concentration
        for a in tree.aggregates:
            kids = [pos[c] for c in tree.children[a] if pos[c] in varied]
            if len(kids) < 2:
                continue
            w0 = self.nominal_weights[kids]
            total = w0.sum()
            W[:, kids] = rng.dirichlet(alpha * w0 / total, size=N) * total
        return W


# --------------------------------------------------------------------------
# the explicit plan


FIXED_COLUMNS = ("run", "imputation", "normalisation", "category", "leave_out")


@dataclass
class RunPlan:
    """Every run explicitly: ``weights`` (N, m + p) absolute weights in the order
    indicators then aggregates (bottom-up); ``picks[name]`` (N,) index into
    ``options[name]`` for each discrete input; ``leave_out`` (N,) indicator
    position left out (weight 0) or -1."""

    spec: Spec
    weights: np.ndarray
    picks: dict[str, np.ndarray]
    options: dict[str, list[Choice]]
    leave_out: np.ndarray

    @property
    def runs(self) -> int:
        return self.weights.shape[0]

    @property
    def columns(self) -> list[str]:
        return list(self.spec.tree.indicators) + list(self.spec.tree.aggregates)

    def choice(self, name: str, run: int) -> Choice:
        if name not in self.picks:
            return Choice(NOMINAL)
        return self.options[name][int(self.picks[name][run])]

    @classmethod
    def nominal(cls, spec: Spec, runs: int = 1) -> "RunPlan":
        """``runs`` copies of the nominal recipe (zero perturbation)."""
        return Design(weights=None).sample(spec, runs)

    @classmethod
    def leave_each_out(cls, spec: Spec) -> "RunPlan":
        """One run per indicator, leaving that indicator out (weight 0), in hierarchy order;
        everything else nominal."""
        m = len(spec.tree.indicators)
        plan = cls.nominal(spec, m)
        plan.leave_out = np.arange(m)
        return plan

    def to_frame(self):
        """One row per run: run, each discrete input's label, leave_out, one weight column per code."""
        import pandas as pd

        out: dict[str, Any] = {"run": np.arange(1, self.runs + 1)}
        for name, opts in self.options.items():
            labels = np.array([o.label for o in opts], dtype=object)
            out[name] = labels[self.picks[name]]
        if np.any(self.leave_out >= 0):
            ind = np.array([""] + list(self.spec.tree.indicators), dtype=object)
            out["leave_out"] = ind[self.leave_out + 1]
        for j, c in enumerate(self.columns):
            if c != self.spec.tree.root:
                out[c] = self.weights[:, j]
        return pd.DataFrame(out)

    @classmethod
    def from_frame(cls, spec: Spec, df, source: str = "<plan>") -> "RunPlan":
        """Read a plan table: columns ``run`` (optional), ``imputation``,
        ``normalisation``, ``aggregation_L<level>``, ``category``, ``leave_out`` (all
        optional; empty = nominal) and a weight column per node code (absent = nominal
        weight).  COINr's names ``n_minmax``, ``n_zscore``, ``a_amean`` ... are accepted."""
        tree = spec.tree
        cols = list(tree.indicators) + list(tree.aggregates)
        pos = {c: j for j, c in enumerate(cols)}
        agg_levels = sorted({tree.level[a] for a in tree.aggregates})
        known_inputs = ["run", "imputation", "normalisation", "category", "leave_out"] + [
            f"aggregation_L{lv}" for lv in agg_levels]
        df = df.copy()
        df.columns = [str(c).strip() for c in df.columns]
        probs: list[Problem] = []
        for c in df.columns:
            if c not in pos and c not in known_inputs:
                probs.append(Problem("robust.plan_column", {"file": source, "column": c,
                                                            "known": ", ".join(known_inputs)}))
        if probs:
            raise SpecError(probs)
        N = len(df)
        if N == 0:
            raise SpecError(Problem("robust.plan_empty", {"file": source}))
        W = np.tile(np.array([tree.nodes[c].weight for c in cols], dtype=float), (N, 1))
        for c in df.columns:
            if c not in pos:
                continue
            vals = df[c]
            parsed = parse_numbers(vals.to_numpy(dtype=object))  # the one number rule ("1.234": a problem)
            num = parsed.values
            bad = np.flatnonzero(~(num >= 0))  # empty, not a number, ambiguous, negative
            for i in bad[:20]:
                detail = "1.234: 1234 | 1,234" if parsed.ambiguous[i] else "\u2265 0"
                probs.append(Problem("robust.plan_value", {"file": source, "row": int(i) + 2, "column": c,
                                                           "value": vals.iloc[i], "detail": detail}))
            W[:, pos[c]] = num
        picks: dict[str, np.ndarray] = {}
        options: dict[str, list[Choice]] = {}
        for name in known_inputs[1:]:
            if name not in df.columns or name == "leave_out":
                continue
            step = "aggregation" if name.startswith("aggregation_") else name
            labels: dict[str, int] = {}
            opts: list[Choice] = []
            idx = np.empty(N, dtype=np.int64)
            for i, v in enumerate(df[name].tolist()):
                text = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
                text = text or NOMINAL
                if text not in labels:
                    try:
                        ch = Choice.of(step, text)
                    except (KeyError, TypeError, ValueError) as e:
                        probs.append(Problem("robust.plan_value", {"file": source, "row": i + 2, "column": name,
                                                                   "value": text, "detail": str(e).strip("\"'")}))
                        labels[text] = 0
                        continue
                    if ch not in opts:
                        opts.append(ch)
                    labels[text] = opts.index(ch)
                idx[i] = labels[text]
            picks[name], options[name] = idx, opts
        leave = np.full(N, -1)
        if "leave_out" in df.columns:
            ind = {c: j for j, c in enumerate(tree.indicators)}
            for i, v in enumerate(df["leave_out"].tolist()):
                text = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
                if text in ("", NOMINAL):
                    continue
                if text not in ind:
                    probs.append(Problem("robust.plan_value", {"file": source, "row": i + 2, "column": "leave_out",
                                                               "value": text, "detail": "indicator code"}))
                    continue
                leave[i] = ind[text]
        if probs:
            raise SpecError(probs)
        return cls(spec, W, picks, options, leave)

    @classmethod
    def read(cls, spec: Spec, path: str | Path) -> "RunPlan":
        from .data import read_table

        path = Path(path)
        return cls.from_frame(spec, read_table(path), source=path.name)
