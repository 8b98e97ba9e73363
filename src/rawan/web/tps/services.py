"""What the TPS pages need from ``rawan.tps``: the edition's frozen model, the checklist grouped by
variable, and the edition's registry and checklists as the package's Arrow tables."""

from __future__ import annotations

import hashlib
import threading

import yaml

from ...tps.model import TpsModel, load_tps_model, tps_model_from_dict
from ..editions.dashboard import lang
from ..editions.models import Edition

_MODELS: dict[str, TpsModel] = {}
_LOCK = threading.Lock()


def freeze_tps_model(edition: Edition, model_id: str) -> TpsModel:
    """Copy a shipped TPS model's text into the edition (it stays what it was when collected)."""
    from ...tps.model import shipped_tps_models

    text = shipped_tps_models()[model_id].read_text(encoding="utf-8")
    edition.model_id, edition.model_yaml = model_id, text
    edition.model_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return model_of(edition)


def model_of(edition: Edition) -> TpsModel:
    """The edition's frozen TPS model (parsed once per process and text)."""
    key = edition.model_sha256 or edition.model_id
    with _LOCK:
        hit = _MODELS.get(key)
    if hit is not None:
        return hit
    if edition.model_yaml:
        model = tps_model_from_dict(yaml.safe_load(edition.model_yaml), file=f"{edition.slug} ({edition.model_id})")
    else:
        model = load_tps_model(edition.model_id)
    with _LOCK:
        _MODELS[key] = model
    return model


def checklist_groups(model: TpsModel, language: str | None = None) -> list[dict]:
    """[{code, name, indicators: [{code, name, short}]}] in the model's order (the PKD's form)."""
    language = language or lang()
    out = []
    for v in model.variables:
        inds = [{"code": i.code, "name": i.name.get(language), "short": i.label(language, short=True)}
                for i in model.indicators if i.variable == v.code]
        out.append({"code": v.code, "name": v.name.get(language), "indicators": inds})
    return out
