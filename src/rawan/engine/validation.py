"""Validation of a parsed methodology: every problem at once, naming the codes."""

from __future__ import annotations

import numpy as np

from . import methods as M
from .errors import Problem
from .spec import REGION_LEVELS, MethodChoice, Node, Spec, Tree


def validate(spec: Spec) -> list[Problem]:
    """Every problem of a parsed spec, all at once."""
    probs: list[Problem] = []
    codes = [n.code for n in spec.hierarchy]
    counts: dict[str, int] = {}
    for c in codes:
        counts[c] = counts.get(c, 0) + 1
    for c, k in counts.items():
        if k > 1:
            probs.append(Problem("spec.duplicate_code", {"code": c, "count": k}))
    nodes = {n.code: n for n in spec.hierarchy}
    children: dict[str, list[str]] = {c: [] for c in nodes}
    for n in spec.hierarchy:
        if n.parent is not None:
            if n.parent not in nodes:
                probs.append(Problem("spec.unknown_parent", {"code": n.code, "parent": n.parent}))
            else:
                children[n.parent].append(n.code)
        if n.weight is None or not np.isfinite(n.weight) or n.weight <= 0:
            probs.append(Problem("spec.weight_not_positive", {"code": n.code, "weight": n.weight}))
        if n.direction not in (1, -1):
            probs.append(Problem("spec.bad_direction", {"code": n.code, "direction": n.direction}))
        gps = n.goalposts if isinstance(n.goalposts, dict) else {"default": n.goalposts}
        for key, gp in gps.items():
            if key != "default" and key not in REGION_LEVELS:
                probs.append(Problem("spec.bad_goalposts", {"code": n.code, "goalposts": f"{key}: {list(gp)}"}))
            elif gp is not None and not gp[0] < gp[1]:
                probs.append(Problem("spec.bad_goalposts", {"code": n.code, "goalposts": list(gp)}))
    # cycles: follow parents from every node
    reported: set[frozenset[str]] = set()
    for start in nodes:
        path = [start]
        seen = {start}
        cur = nodes[start].parent
        while cur is not None and cur in nodes:
            if cur in seen:
                cyc = path[path.index(cur):] + [cur]
                key = frozenset(cyc)
                if key not in reported:
                    reported.add(key)
                    probs.append(Problem("spec.cycle", {"path": " -> ".join(cyc)}))
                break
            seen.add(cur)
            path.append(cur)
            cur = nodes[cur].parent
    roots = [n.code for n in spec.hierarchy if n.parent is None]
    if not roots:
        probs.append(Problem("spec.no_root"))
    elif len(roots) > 1:
        probs.append(Problem("spec.many_roots", {"count": len(roots), "codes": ", ".join(roots)}))
    for n in spec.hierarchy:
        if n.type == "aggregate" and not children[n.code]:
            probs.append(Problem("spec.aggregate_without_children", {"code": n.code}))
        if n.type == "indicator" and children[n.code]:
            probs.append(Problem("spec.indicator_with_children",
                                 {"code": n.code, "children": ", ".join(children[n.code])}))
    probs += _validate_methods(spec, nodes)
    probs += _validate_refs(spec, nodes)
    probs += _validate_categories(spec, nodes)
    if spec.denominator is not None and spec.denominator.column in nodes:
        probs.append(Problem("spec.bad_denominator", {"column": spec.denominator.column}))
    if not probs:
        probs += _validate_levels(spec)
    return probs


def _check_choice(step: str, choice: MethodChoice | None, where: str) -> list[Problem]:
    if choice is None:
        return []
    if choice.method not in M.REGISTRY[step]:
        return [Problem("spec.unknown_method", {"step": step, "method": choice.method, "where": where,
                                                 "known": ", ".join(M.names(step))})]
    detail = M.check_params(step, choice.method, choice.params)
    if detail:
        return [Problem("spec.bad_method_params",
                        {"step": step, "method": choice.method, "where": where, "detail": detail})]
    return []


def _validate_methods(spec: Spec, nodes: dict[str, Node]) -> list[Problem]:
    probs: list[Problem] = []
    blocks = [("methods.default", spec.methods.default)]
    blocks += [(f"methods.levels.{k}", v) for k, v in spec.methods.levels.items()]
    for where, block in blocks:
        for step in ("normalisation", "imputation", "aggregation"):
            probs += _check_choice(step, getattr(block, step), where)
    for n in spec.hierarchy:
        for step in ("normalisation", "imputation", "aggregation"):
            probs += _check_choice(step, getattr(n, step), f"node '{n.code}'")
        # a setting that would silently do nothing is an error
        misplaced = ["aggregation", "min_coverage"] if n.type == "indicator" else ["normalisation", "imputation"]
        for step in misplaced:
            if getattr(n, step) is not None:
                probs.append(Problem("spec.misplaced_setting", {"where": f"node '{n.code}'", "setting": step,
                                                                "type": n.type}))
    for lvl, block in spec.methods.levels.items():
        if lvl > 1:
            for step in ("normalisation", "imputation"):
                if getattr(block, step) is not None:
                    probs.append(Problem("spec.misplaced_setting", {
                        "where": f"methods.levels.{lvl}", "setting": step, "type": "aggregate"}))
        elif block.aggregation is not None or block.min_coverage is not None:
            probs.append(Problem("spec.misplaced_setting", {
                "where": "methods.levels.1", "setting": "aggregation", "type": "indicator"}))
    return probs


def _validate_refs(spec: Spec, nodes: dict[str, Node]) -> list[Problem]:
    probs: list[Problem] = []
    assumptions = {a.code for a in spec.assumptions}
    sources = {s.id for s in spec.sources}
    for n in spec.hierarchy:
        for a in n.assumptions:
            if a not in assumptions:
                probs.append(Problem("spec.unknown_assumption", {"where": f"node '{n.code}'", "code": a}))
    for i, c in enumerate(spec.categories, 1):
        where = f"categories #{i}"
        for code in c.assumption_codes:
            if code not in assumptions:
                probs.append(Problem("spec.unknown_assumption", {"where": where, "code": code}))
        if c.source and c.source not in sources:
            probs.append(Problem("spec.unknown_source", {"where": where, "code": c.source}))
        for code in c.nodes or []:
            if code not in nodes:
                probs.append(Problem("spec.unknown_node", {"where": where, "code": code}))
    return probs


def _validate_categories(spec: Spec, nodes: dict[str, Node]) -> list[Problem]:
    probs: list[Problem] = []
    covered: dict[tuple, int] = {}
    for i, c in enumerate(spec.categories, 1):
        if c.rule not in M.REGISTRY["classification"]:
            probs.append(Problem("spec.unknown_method", {
                "step": "classification", "method": c.rule, "where": f"categories #{i}",
                "known": ", ".join(M.names("classification"))}))
            continue
        if c.region_level is not None and c.region_level not in REGION_LEVELS:
            probs.append(Problem("spec.bad_category", {
                "index": i, "detail": f"region_level '{c.region_level}' ∉ {', '.join(REGION_LEVELS)}"}))
        method = M.get("classification", c.rule)
        detail = M.check_params("classification", c.rule, c.params)
        if detail:
            probs.append(Problem("spec.bad_method_params", {
                "step": "classification", "method": c.rule, "where": f"categories #{i}", "detail": detail}))
            continue
        params = method.bind(c.params)
        for code in c.nodes or [None]:
            key = (c.region_level, code)
            if key in covered:
                probs.append(Problem("spec.bad_category", {
                    "index": i, "detail": f"rule #{covered[key]} already classifies "
                                          f"{code or 'the index'} at region level {c.region_level or 'any'}"}))
            covered[key] = i
        n_cuts = None
        if c.rule == "fixed":
            n_cuts = len(method.func(np.array([]), **params))
        elif c.rule == "mean_sd":
            n_cuts = 2
        elif c.rule == "quantiles":
            n_cuts = len(params["probs"])
        elif c.rule == "jenks":
            n_cuts = int(params["n_classes"]) - 1
        if n_cuts is not None and n_cuts + 1 != len(c.labels):
            probs.append(Problem("spec.bad_category", {
                "index": i, "detail": f"{n_cuts} cut-off(s) make {n_cuts + 1} classes, "
                                      f"but {len(c.labels)} labels are given ({', '.join(c.labels)})"}))
    return probs


def _validate_levels(spec: Spec) -> list[Problem]:
    tree = Tree.build(spec)
    probs = []
    for n in spec.hierarchy:
        if n.level is not None and n.level != tree.level[n.code]:
            probs.append(Problem("spec.bad_level", {"code": n.code, "given": n.level,
                                                    "expected": tree.level[n.code]}))
    # goalposts method needs goalposts
    for code in tree.indicators:
        r = tree.resolve(spec, code, "normalisation")
        if r.method.name == "goalposts" and tree.nodes[code].goalposts is None:
            probs.append(Problem("spec.bad_goalposts", {"code": code, "goalposts": None}))
    return probs
