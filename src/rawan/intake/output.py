"""Write an imported dataset (Parquet with its provenance in the file metadata, or CSV), atomically."""

from __future__ import annotations

import json
from pathlib import Path

from ..engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK
from ..engine.errors import DataError, Problem
from .template import _atomic_write

PROVENANCE_KEY = b"rawan.provenance"


def dataset_frame(data):
    import pandas as pd

    cols = {"code": data.codes}
    if data.names is not None:
        cols["name"] = data.names
    if data.synthetic:
        cols[SYNTHETIC_COLUMN] = [SYNTHETIC_MARK] * len(data.codes)
    for j, c in enumerate(data.columns):
        cols[c] = data.values[:, j]
    for k, v in data.attributes.items():
        cols.setdefault(k, list(v))
    return pd.DataFrame(cols)


def write_dataset(result, out: Path) -> Path:
    out = Path(out)
    suffix = out.suffix.lower()
    df = dataset_frame(result.dataset)
    prov = json.dumps(result.provenance.as_dict(), ensure_ascii=False)
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(df, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), PROVENANCE_KEY: prov.encode("utf-8")})
        return _atomic_write(out, lambda p: pq.write_table(table, p))
    if suffix == ".csv":
        return _atomic_write(out, lambda p: df.to_csv(p, index=False, encoding="utf-8"))
    raise DataError(Problem("intake.out_format", {"file": out.name, "known": ".parquet, .csv"}))


def read_provenance(path: Path) -> dict | None:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(PROVENANCE_KEY)
    return json.loads(raw) if raw else None
