"""The model's severity section (levels and weights of event records) and required indicators."""

from __future__ import annotations

import pytest
import yaml

from rawan.engine import SpecError, load_spec, spec_from_dict
from rawan.intake import structure_checksum
from rawan.intake.events import severity_table

from .conftest import EXAMPLE_MODEL


def raw_model():
    return yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))


def test_ikp_2024_declares_its_severity_assumption():
    spec = load_spec("ikp-2024")
    assert [(lv.code, lv.weight) for lv in spec.severity.levels] == [("ringan", 1), ("sedang", 2), ("berat", 3)]
    assumption = next(a for a in spec.assumptions if a.code == spec.severity.assumption)
    assert "bukan metode Bawaslu" in assumption.text.id and "unpublished" in assumption.reason.en


def test_severity_labels_accept_code_name_and_position():
    table = severity_table(load_spec("ikp-2024"))
    assert table["berat"] == table["severe"] == table["3"] == 3.0
    assert severity_table(load_spec("contoh-mini")) == {"1": 1.0}  # no severity: every event weighs 1


@pytest.mark.parametrize("severity,detail", [
    ({"levels": []}, "at least 1"),
    ({"levels": [{"code": "a", "name": "A", "weight": 0}]}, "greater than 0"),
    ({"levels": [{"code": "a", "name": "A", "weight": 1}, {"code": "A", "name": "B", "weight": 2}]}, "unique"),
    ({"levels": [{"code": "a", "name": "A", "weight": 1}], "assumption": "nope"}, "nope"),
    ({"levels": [{"code": "a", "name": "A", "weight": 1}], "colour": "red"}, "Extra inputs"),
])
def test_bad_severity_sections_are_refused(severity, detail):
    raw = raw_model()
    raw["severity"] = severity
    with pytest.raises(SpecError) as e:
        spec_from_dict(raw)
    assert any(detail in p.params.get("detail", "") for p in e.value.problems), e.value.render("en")


def test_hash_and_checksum():
    raw = raw_model()
    plain = spec_from_dict(raw)
    raw["severity"] = {"levels": [{"code": "a", "name": "A", "weight": 1}], "assumption": "example-only"}
    with_sev = spec_from_dict(raw)
    assert plain.hash != with_sev.hash
    assert structure_checksum(plain) != structure_checksum(with_sev)
    raw["hierarchy"][-1]["required"] = True
    assert structure_checksum(spec_from_dict(raw)) != structure_checksum(with_sev)
