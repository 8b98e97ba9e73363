"""``rawan model check|show``: methodology files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .ui import State, console, err_console, print_warnings, t

model_app = typer.Typer(no_args_is_help=True, help="Periksa dan tampilkan berkas metodologi / check and show methodology files.")
app.add_typer(model_app, name="model")


@model_app.command("check")
def model_check(
    model: str = typer.Argument(..., help="Model bawaan atau berkas YAML/iMeta."),
    data: Optional[Path] = typer.Option(None, "--data", "-d", help="Periksa juga kecocokan data."),
):
    """Periksa berkas metodologi (dan data); semua masalah sekaligus, kode keluar 2 bila ada."""
    from ..engine import compute, load_spec, read_data

    from ..engine.rules import static_warnings

    spec = load_spec(model)
    tree = spec.tree
    console.print(t("model_ok", id=spec.id, version=spec.version, ind=len(tree.indicators),
                    agg=len(tree.aggregates), lv=tree.level[tree.root]))
    for w in static_warnings(spec):  # rules that mislead: warnings, not errors
        err_console.print(f"[yellow]{t('warning')}:[/] {w.render(State.lang)}")
    if data is not None:
        result = compute(spec, read_data(data, tree.indicators))
        console.print(t("data_ok", file=data.name, n=len(result.codes)))
        print_warnings(result)


@model_app.command("show")
def model_show(model: str = typer.Argument(..., help="Model bawaan atau berkas.")):
    """Tampilkan hierarki dengan bobot, arah dan metode; asumsi model dalam kalimat."""
    from rich.markup import escape
    from rich.tree import Tree as RichTree

    from ..engine import effective_weights, load_spec

    spec = load_spec(model)
    tree = spec.tree
    lang = State.lang
    eff = effective_weights(spec)

    def pct(x: float) -> str:
        s = f"{100 * x:.2f}%"
        return s.replace(".", ",") if lang == "id" else s

    def method_words(code: str) -> str:
        """The aggregation method in words (the engine's summary up to its first clause), not its code."""
        method = tree.resolve(spec, code, "aggregation").method
        words = method.summary.get(lang) or method.summary["id"]
        words = words.split(";")[0].split(" (")[0].strip()
        return words[:1].lower() + words[1:]

    def label(code: str) -> str:
        n = tree.nodes[code]
        parts = [f"[bold]{escape(n.name.get(lang))}[/] ({t('code')} [blue]{escape(code)}[/])", f"{t('weight')} {n.weight:g}"]
        if code != tree.root:
            parts.append(f"{t('effective')} {pct(eff[code])}")
        if n.type == "indicator":
            if n.direction < 0:
                parts.append(t("reversed"))
            if n.kind:
                parts.append(t("kind_" + n.kind))
        else:
            parts.append(method_words(code))
        return " · ".join(parts)

    root = RichTree(f"{label(tree.root)}  [dim]({t('model_line', id=escape(spec.id), version=escape(str(spec.version)))})[/]")

    def add(branch, code):
        for c in tree.children[code]:
            add(branch.add(label(c)), c)

    add(root, tree.root)
    first_agg = next((c for c in tree.children[tree.root] if tree.nodes[c].type != "indicator"), tree.root)
    console.print(t("codes_note", ind=f"[blue]{escape(tree.indicators[0])}[/]", agg=f"[blue]{escape(first_agg)}[/]"))
    console.print(root)
    ind = [eff[c] for c in tree.indicators]
    console.print(t("weights_at_" + spec.weights_at, lo=pct(min(ind)), hi=pct(max(ind)))
                  + (f" ({t('see_assumptions')})" if spec.weights_assumption else ""))
    if spec.assumptions:  # in sentences, from the model's own text; their codes are not for users
        console.print(f"\n[bold]{t('assumptions')}[/]")
        for a in spec.assumptions:
            console.print(f"- {escape(a.text.get(lang))}")
