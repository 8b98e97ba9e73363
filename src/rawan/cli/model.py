"""``rawan model check|show``: methodology files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .ui import State, console, print_warnings, t

model_app = typer.Typer(no_args_is_help=True, help="Periksa dan tampilkan berkas metodologi / check and show methodology files.")
app.add_typer(model_app, name="model")


@model_app.command("check")
def model_check(
    model: str = typer.Argument(..., help="Model bawaan atau berkas YAML/iMeta."),
    data: Optional[Path] = typer.Option(None, "--data", "-d", help="Periksa juga kecocokan data."),
):
    """Periksa berkas metodologi (dan data); semua masalah sekaligus, kode keluar 2 bila ada."""
    from ..engine import compute, load_spec, read_data

    spec = load_spec(model)
    tree = spec.tree
    console.print(t("model_ok", id=spec.id, version=spec.version, ind=len(tree.indicators),
                    agg=len(tree.aggregates), lv=tree.level[tree.root]))
    if data is not None:
        result = compute(spec, read_data(data, tree.indicators))
        console.print(t("data_ok", file=data.name, n=len(result.codes)))
        print_warnings(result)


@model_app.command("show")
def model_show(model: str = typer.Argument(..., help="Model bawaan atau berkas.")):
    """Tampilkan hierarki dengan bobot, arah dan metode."""
    from rich.tree import Tree as RichTree

    from ..engine import load_spec

    spec = load_spec(model)
    tree = spec.tree
    lang = State.lang

    def label(code: str) -> str:
        n = tree.nodes[code]
        parts = [f"[bold]{code}[/] {n.name.get(lang)}", f"{t('weight')} {n.weight:g}"]
        if n.type == "indicator":
            if n.direction < 0:
                parts.append(f"{t('direction')} -1")
            if n.kind:
                parts.append(n.kind)
        else:
            parts.append(tree.resolve(spec, code, "aggregation").method.name)
        return " · ".join(parts)

    root = RichTree(f"{label(tree.root)}  [dim]({spec.id} {spec.version})[/]")

    def add(branch, code):
        for c in tree.children[code]:
            add(branch.add(label(c)), c)

    add(root, tree.root)
    console.print(root)
    if spec.assumptions:
        console.print(f"\n[bold]{t('assumptions')}[/]")
        for a in spec.assumptions:
            console.print(f"- [bold]{a.code}[/]: {a.text.get(lang)}")
