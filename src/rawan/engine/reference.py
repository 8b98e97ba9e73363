"""What a result's scale and classes are computed against: its reference.

Three kinds (docs/reference.md):

* ``model``: every step uses constants written in the model (goalposts, fixed
  cut-offs, no imputation from other regions): a region's score and class depend
  on its own data only, whichever regions are in the table;
* ``stored``: the normalisation bounds, imputation values, class cut-offs and
  index scores of a named run, saved beside its result (:meth:`Reference.save`)
  and given again with ``--reference FILE``: regions computed against it score
  and class exactly as they did in that run;
* ``table``: some step reads the regions in the table (min-max bounds, mean ± k SD
  cut-offs, ...): allowed, and said on every output ("kelas dihitung dari wilayah
  dalam tabel ini").

A stored reference is a small JSON file: bounds per indicator, cut-offs per node and
the reference's index scores (for "rank 37 of 144").
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ComputeError, Problem, register_messages

FORMAT = "rawan-reference/1"

MESSAGES = {
    "reference.file": {
        "id": "Berkas referensi {file} tidak dapat dibaca: {detail}.",
        "en": "Reference file {file} cannot be read: {detail}.",
    },
    "reference.model": {
        "id": "Berkas referensi {file} dibuat dengan model {ref_model} (sha256 {ref_hash}); "
              "model yang dipakai sekarang {model} (sha256 {hash}). Buat ulang referensi dengan model ini.",
        "en": "Reference file {file} was made with model {ref_model} (sha256 {ref_hash}); "
              "the model in use is {model} (sha256 {hash}). Make the reference again with this model.",
    },
    "reference.level": {
        "id": "Berkas referensi {file} dibuat untuk tingkat wilayah {ref_level}, data ini tingkat {level}.",
        "en": "Reference file {file} was made for region level {ref_level}; this data is level {level}.",
    },
    "reference.not_storable": {
        "id": "Langkah {step} memakai metode '{method}' yang membaca seluruh sebaran nilai ({code}); "
              "metode ini tidak dapat dipakai dengan referensi tersimpan.",
        "en": "Step {step} uses method '{method}', which reads the whole distribution of values ({code}); "
              "it cannot be used with a stored reference.",
    },
    "reference.missing_entry": {
        "id": "Berkas referensi {file} tidak memuat {what} untuk '{code}'.",
        "en": "Reference file {file} holds no {what} for '{code}'.",
    },
    "reference.unknown_parent": {
        "id": "Tidak ada wilayah di bawah kode {parent} dalam data ini.",
        "en": "No region under code {parent} in this data.",
    },
}
register_messages(MESSAGES)


@dataclass
class Reference:
    """The constants a stored run fixes: bounds, imputation values, cut-offs, index scores."""

    name: str
    model: str
    model_version: str
    spec_sha256: str
    region_level: str | None
    n_regions: int
    normalisation: dict[str, list[float]] = field(default_factory=dict)  # indicator -> stats
    imputation: dict[str, float] = field(default_factory=dict)  # indicator -> fill value
    cutoffs: dict[str, list[float]] = field(default_factory=dict)  # node -> ascending cut-offs
    index_scores: np.ndarray = field(default_factory=lambda: np.array([]))  # ascending, no NaN
    data_sha256: str = ""
    synthetic: bool = False
    file: str | None = None

    # ---- use ---------------------------------------------------------------
    def check(self, spec, region_level: str | None) -> None:
        where = self.file or self.name
        if self.spec_sha256 != spec.hash:
            raise ComputeError(Problem("reference.model", {
                "file": where, "ref_model": f"{self.model} {self.model_version}", "ref_hash": self.spec_sha256[:12],
                "model": f"{spec.id} {spec.version}", "hash": spec.hash[:12]}))
        if (self.region_level or None) != (region_level or None):
            raise ComputeError(Problem("reference.level", {
                "file": where, "ref_level": self.region_level or "-", "level": region_level or "-"}))

    def stats(self, codes: list[str]) -> tuple[np.ndarray, ...]:
        """Stored normalisation stats of ``codes``, shaped like a fit on a table: (1, k) each."""
        missing = [c for c in codes if c not in self.normalisation]
        if missing:
            raise ComputeError(Problem("reference.missing_entry", {
                "file": self.file or self.name, "what": "batas normalisasi / normalisation bounds",
                "code": missing[0]}))
        arr = np.array([self.normalisation[c] for c in codes], dtype=float)  # (k, 2)
        return tuple(arr[:, i][None, :] for i in range(arr.shape[1]))

    def fill(self, codes: list[str]) -> np.ndarray:
        missing = [c for c in codes if c not in self.imputation]
        if missing:
            raise ComputeError(Problem("reference.missing_entry", {
                "file": self.file or self.name, "what": "nilai imputasi / imputation value", "code": missing[0]}))
        return np.array([self.imputation[c] for c in codes], dtype=float)[None, :]

    def rank(self, scores: np.ndarray) -> np.ndarray:
        """Rank of each score among the reference's index scores (ties at the minimum, as rank_min)."""
        asc = self.index_scores
        s = np.asarray(scores, dtype=float)
        above = asc.size - np.searchsorted(asc, s, side="right")
        return np.where(np.isnan(s), np.nan, above + 1.0)

    # ---- files -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        def num(x):
            x = float(x)
            return None if math.isnan(x) else x

        return {
            "format": FORMAT, "name": self.name, "model": self.model, "model_version": self.model_version,
            "spec_sha256": self.spec_sha256, "region_level": self.region_level, "n_regions": self.n_regions,
            "data_sha256": self.data_sha256, "synthetic": self.synthetic,
            "normalisation": {k: [num(x) for x in v] for k, v in self.normalisation.items()},
            "imputation": {k: num(v) for k, v in self.imputation.items()},
            "cutoffs": {k: [num(x) for x in v] for k, v in self.cutoffs.items()},
            "index_scores": [float(x) for x in self.index_scores],
        }

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Reference":
        path = Path(path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ComputeError(Problem("reference.file", {"file": str(path), "detail": "tidak ada / not found"})) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ComputeError(Problem("reference.file", {"file": path.name, "detail": str(e)})) from None
        return cls.from_dict(doc, file=path.name)

    @classmethod
    def from_dict(cls, doc: Any, file: str = "<reference>") -> "Reference":
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ComputeError(Problem("reference.file", {
                "file": file, "detail": f"bukan berkas {FORMAT} / not a {FORMAT} file"}))

        def num(x):
            return np.nan if x is None else float(x)

        try:
            return cls(
                name=str(doc["name"]), model=str(doc["model"]), model_version=str(doc["model_version"]),
                spec_sha256=str(doc["spec_sha256"]), region_level=doc.get("region_level") or None,
                n_regions=int(doc["n_regions"]), data_sha256=str(doc.get("data_sha256", "")),
                synthetic=bool(doc.get("synthetic", False)),
                normalisation={k: [num(x) for x in v] for k, v in doc.get("normalisation", {}).items()},
                imputation={k: num(v) for k, v in doc.get("imputation", {}).items()},
                cutoffs={k: [num(x) for x in v] for k, v in doc.get("cutoffs", {}).items()},
                index_scores=np.sort(np.array(doc.get("index_scores", []), dtype=float)),
                file=file)
        except (KeyError, TypeError, ValueError) as e:
            raise ComputeError(Problem("reference.file", {"file": file, "detail": f"{type(e).__name__}: {e}"})) from None


@dataclass(frozen=True)
class ReferenceInfo:
    """What one result was computed against (said on every output)."""

    kind: str  # "model" | "stored" | "table"
    name: str  # the stored reference's name, or "" for model / table
    n_regions: int  # regions in the reference population (for "rank 37 of 144")
    table_steps: tuple[str, ...] = ()  # for "table": the steps that read the table

    def sentence(self, lang: str = "id") -> str:
        if self.kind == "model":
            return ("Skala dan kelas dihitung dari konstanta model (goalpost dan batas tetap): kelas sebuah wilayah "
                    "tidak bergantung pada wilayah lain dalam tabel." if lang != "en" else
                    "Scale and classes are computed against the model's constants (goalposts and fixed cut-offs): "
                    "a region's class does not depend on the other regions in the table.")
        if self.kind == "stored":
            return (f"Skala dan kelas dihitung terhadap referensi tersimpan '{self.name}' ({self.n_regions} wilayah)."
                    if lang != "en" else
                    f"Scale and classes are computed against the stored reference '{self.name}' "
                    f"({self.n_regions} regions).")
        steps = ", ".join(self.table_steps)
        return (f"Kelas dihitung dari wilayah dalam tabel ini ({steps}): tabel dengan wilayah lain dapat memberi "
                "kelas lain." if lang != "en" else
                f"Classes are computed from the regions in this table ({steps}): a table with other regions "
                "can give other classes.")


def model_reference(spec, region_level: str | None, n_regions: int = 0) -> ReferenceInfo:
    """What a result of ``spec`` at ``region_level`` is computed against without a stored reference,
    read from the model alone (no data): its constants, or the table for the steps that read it."""
    from . import methods as M

    tree = spec.tree
    steps = []
    if any(tree.resolve(spec, c, "imputation").method.name in M.TABLE_IMPUTATIONS for c in tree.indicators):
        steps.append("imputation")
    if any(tree.resolve(spec, c, "normalisation").method.name in M.TABLE_NORMALISATIONS for c in tree.indicators):
        steps.append("normalisation")
    if any(r.rule in M.TABLE_CLASSIFICATIONS for r in spec.category_rules(region_level)):
        steps.append("kategori / categories")
    return ReferenceInfo("table", "", n_regions, tuple(steps)) if steps else ReferenceInfo("model", "", n_regions)
