"""Result: a computed index (scores, ranks, classes, recipe) and its restriction to a part.

Made by :func:`rawan.engine.pipeline.compute`; ``Result.restrict(parent)`` keeps every score, class
and the rank within the reference exactly, and ranks again within the part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .. import __version__
from . import methods as M
from .codes import normalise_code
from .data import Dataset
from .errors import ComputeError, DataError, Problem, register_messages
from .reference import Reference, ReferenceInfo
from .spec import Spec

MESSAGES = {
    "compute.reference_from_subset": {
        "id": "Referensi tidak dapat dibuat dari sebagian wilayah (di bawah {parent}); buat dari hasil seluruh tabel.",
        "en": "A reference cannot be made from part of the regions (under {parent}); make it from the whole table's result.",
    },
}
register_messages(MESSAGES)


@dataclass
class Categories:
    """Classes of one node's scores under one rule."""

    node: str
    rule: str
    params: dict[str, Any]
    labels: list[str]
    cutoffs: np.ndarray  # ascending; x >= cut goes up
    classes: np.ndarray  # index into labels per region, -1 = no data
    source: str | None = None
    assumption: str | None = None

    def label_of(self, i: int) -> str | None:
        c = int(self.classes[i])
        return None if c < 0 else self.labels[c]


@dataclass
class Result:
    spec: Spec
    codes: list[str]
    names: list[str] | None
    indicators: list[str]
    aggregates: list[str]  # bottom-up order
    raw: np.ndarray  # (n, m) input values after imputation
    scores: np.ndarray  # (n, m + p): normalised indicators, then aggregates
    completeness: np.ndarray  # (n, p) share of an aggregate's indicators with data
    categories: dict[str, Categories]
    region_level: str | None
    data: Dataset | None = None
    synthetic: bool = False
    warnings: list[Problem] = field(default_factory=list)
    reference: ReferenceInfo = field(default_factory=lambda: ReferenceInfo("table", "", 0, ("?",)))
    # rank of the index within the reference population (the whole table, a stored run, or, for a
    # restricted result, the table it was restricted from); rank() is within this table
    reference_rank: np.ndarray | None = None
    stored: Reference | None = None  # the stored reference used, if any
    fitted: dict[str, Any] = field(default_factory=dict, repr=False)  # what the table gave: for save_reference
    parent: str | None = None  # set by restrict(): the regions under this code
    _ranks: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @cached_property
    def recipe(self) -> dict[str, str]:
        """What made this result: model, its hash, the data's hash, rawan's version.

        Hashing 83,763 x 61 values takes longer than computing them, so it is done
        when the recipe is first read (every writer reads it), not inside compute().
        """
        return {"model": self.spec.id, "model_version": self.spec.version,
                "spec_sha256": self.spec.hash, "data_sha256": self.data.hash if self.data else "",
                "rawan_version": __version__, "region_level": self.region_level or ""}

    @property
    def index_code(self) -> str:
        return self.spec.tree.root

    @property
    def columns(self) -> list[str]:
        return self.indicators + self.aggregates

    def col(self, code: str) -> int:
        return self.columns.index(code)

    def score(self, code: str) -> np.ndarray:
        return self.scores[:, self.col(code)]

    def rank(self, code: str | None = None) -> np.ndarray:
        """Descending rank of an aggregate's scores (ties share the lowest rank).

        The index is ranked inside compute(); other aggregates when first asked.
        """
        code = code or self.index_code
        if code not in self._ranks:
            self._ranks[code] = M.rank_min(self.score(code))
        return self._ranks[code]

    @property
    def ranks(self) -> np.ndarray:
        """(n, p) ranks of every aggregate, in ``aggregates`` order."""
        return np.column_stack([self.rank(a) for a in self.aggregates])

    def coverage(self, code: str | None = None) -> np.ndarray:
        return self.completeness[:, self.aggregates.index(code or self.index_code)]

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def region(self, code: str) -> int:
        """Row of a region code, written with or without dots (``15.02`` or ``1502``)."""
        row = self._row_of.get(code)
        if row is None:
            row = self._row_of.get(normalise_code(code) or str(code).strip())
        if row is None:
            raise DataError(Problem("data.unknown_region", {"region": code}))
        return row

    def category(self, region: str, node: str | None = None) -> str | None:
        cat = self.categories.get(node or self.index_code)
        return None if cat is None else cat.label_of(self.region(region))

    @property
    def region_completeness(self) -> np.ndarray:
        """Share of all indicators with data, per region."""
        return self.coverage(self.index_code)

    @property
    def reference_size(self) -> int:
        return self.reference.n_regions or len(self.codes)

    @property
    def is_subset(self) -> bool:
        """True when this table is a part of its reference population (restricted, or a stored run)."""
        return self.parent is not None or (self.reference.kind == "stored")

    @property
    def rank_in_reference(self) -> np.ndarray:
        return self.reference_rank if self.reference_rank is not None else self.rank()

    def to_reference(self, name: str) -> Reference:
        """This run's normalisation bounds, imputation values, cut-offs and index scores, to store."""
        if self.parent is not None:
            raise ComputeError(Problem("compute.reference_from_subset", {"parent": self.parent}))
        if self.stored is not None:
            ref = self.stored
            return Reference(name=ref.name, model=ref.model, model_version=ref.model_version,
                             spec_sha256=ref.spec_sha256, region_level=ref.region_level,
                             n_regions=ref.n_regions, normalisation=dict(ref.normalisation),
                             imputation=dict(ref.imputation), cutoffs=dict(ref.cutoffs),
                             index_scores=ref.index_scores, data_sha256=ref.data_sha256,
                             synthetic=ref.synthetic)
        idx = self.score(self.index_code)
        return Reference(
            name=name, model=self.spec.id, model_version=self.spec.version, spec_sha256=self.spec.hash,
            region_level=self.region_level, n_regions=len(self.codes),
            normalisation={k: list(v) for k, v in self.fitted.get("normalisation", {}).items()},
            imputation=dict(self.fitted.get("imputation", {})),
            cutoffs={k: [float(x) for x in c.cutoffs] for k, c in self.categories.items()},
            index_scores=np.sort(idx[~np.isnan(idx)]), data_sha256=self.data.hash if self.data else "",
            synthetic=self.synthetic)

    @cached_property
    def _code_array(self) -> np.ndarray:
        return np.array(self.codes)

    def rows_under(self, parent: str) -> np.ndarray:
        """Rows of the regions under Kemendagri code ``parent`` (codes starting with ``parent.``)."""
        prefix = str(parent).strip().rstrip(".") + "."
        strings = getattr(np, "strings", np.char)  # numpy >= 2: the fast ufunc; 1.26: np.char
        return np.flatnonzero(strings.startswith(self._code_array, prefix))

    def restrict(self, parent: str | None = None, rows: np.ndarray | None = None) -> "Result":
        """The regions under ``parent`` (or the given rows), with every score, class and the rank
        within the reference exactly as in this result; ``rank()`` is then within the subset."""
        if rows is None:
            rows = self.rows_under(parent)
            if rows.size == 0:
                raise DataError(Problem("reference.unknown_parent", {"parent": parent}))
        rows = np.asarray(rows)
        cats = {k: Categories(node=c.node, rule=c.rule, params=c.params, labels=c.labels, cutoffs=c.cutoffs,
                              classes=c.classes[rows], source=c.source, assumption=c.assumption)
                for k, c in self.categories.items()}
        codes = self._code_array[rows].tolist()
        data = None
        if self.data is not None:
            d = self.data
            data = Dataset(codes=codes, columns=d.columns, values=d.values[rows],
                           names=[d.names[i] for i in rows] if d.names else None,
                           attributes={k: np.asarray(v)[rows] for k, v in d.attributes.items()},
                           source=d.source, rows=[d.rows[i] for i in rows] if d.rows else None,
                           synthetic=d.synthetic)
        return Result(
            spec=self.spec, codes=codes, names=[self.names[i] for i in rows] if self.names else None,
            indicators=self.indicators, aggregates=self.aggregates, raw=self.raw[rows],
            scores=np.asfortranarray(self.scores[rows]), completeness=self.completeness[rows],
            categories=cats, region_level=self.region_level, data=data, synthetic=self.synthetic,
            warnings=list(self.warnings), reference=ReferenceInfo(
                self.reference.kind, self.reference.name, self.reference_size, self.reference.table_steps),
            reference_rank=self.rank_in_reference[rows], stored=self.stored, fitted=self.fitted,
            parent=parent if parent is not None else self.parent)
