"""The index engine: a plain library (numpy + pydantic), no I/O beyond files it is given.

    from rawan.engine import load_spec, read_data, compute, explain
    spec = load_spec("ikp-2024")
    result = compute(spec, read_data("data.csv", spec.tree.indicators))
"""

from .data import Dataset, read_data
from .errors import ComputeError, DataError, Problem, RawanError, SpecError, register_messages
from .pipeline import Result, compute
from .reference import Reference, ReferenceInfo
from .spec import Spec, load_spec, spec_from_dict

__all__ = [
    "ComputeError", "DataError", "Dataset", "Explanation", "Problem", "RawanError", "Result",
    "Spec", "SpecError", "compute", "explain", "load_spec", "read_data", "register_messages",
    "spec_from_dict", "Design", "Reference", "ReferenceInfo", "effective_weights", "RunPlan", "WeightDesign", "UncertaintyResult", "uncertainty",
]

# explain, the run plan and the uncertainty analysis are imported when first used: ``rawan compute``
# needs none of them, and a process starts faster without them
_LAZY = {"Explanation": "explain", "effective_weights": "explain", "explain": "explain",
         "Design": "runplan", "RunPlan": "runplan", "WeightDesign": "runplan",
         "UncertaintyResult": "sensitivity", "uncertainty": "sensitivity"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    mod = importlib.import_module(f"{__name__}.{module}")
    # every lazy name of that module at once: importing ``.explain`` binds the *module* to the package's
    # attribute ``explain``, which would otherwise shadow the function once another of its names came first
    for other, m in _LAZY.items():
        if m == module:
            globals()[other] = getattr(mod, other)
    return globals()[name]
