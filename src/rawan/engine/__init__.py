"""The index engine: a plain library (numpy + pydantic), no I/O beyond files it is given.

    from rawan.engine import load_spec, read_data, compute, explain
    spec = load_spec("ikp-2024")
    result = compute(spec, read_data("data.csv", spec.tree.indicators))
"""

from .data import Dataset, read_data
from .errors import ComputeError, DataError, Problem, RawanError, SpecError, register_messages
from .explain import Explanation, effective_weights, explain
from .pipeline import Result, compute
from .reference import Reference, ReferenceInfo
from .runplan import Design, RunPlan, WeightDesign
from .sensitivity import UncertaintyResult, uncertainty
from .spec import Spec, load_spec, spec_from_dict

__all__ = [
    "ComputeError", "DataError", "Dataset", "Explanation", "Problem", "RawanError", "Result",
    "Spec", "SpecError", "compute", "explain", "load_spec", "read_data", "register_messages",
    "spec_from_dict", "Design", "Reference", "ReferenceInfo", "effective_weights", "RunPlan", "WeightDesign", "UncertaintyResult", "uncertainty",
]
