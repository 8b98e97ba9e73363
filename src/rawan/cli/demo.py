"""``rawan demo build``: the synthetic Jambi demo."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .compute import ranking_table
from .ui import DEFAULT_SEED, banner, console, err_console, t

demo_app = typer.Typer(no_args_is_help=True, help="Data contoh Jambi (sintetis) / the synthetic Jambi demo.")
app.add_typer(demo_app, name="demo")


@demo_app.command("build")
def demo_build(
    out: Path = typer.Option(Path("demo-output"), "--out", "-o", help="Folder keluaran."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Benih acak: benih yang sama memberi hasil yang sama."),
    model: str = typer.Option("ikp-2024", "--model", "-m", help="Model."),
):
    """Buat data contoh Jambi (sintetis) dan hitung hasilnya untuk setiap tingkat."""
    from .. import demo
    from ..engine import compute, load_spec, output, read_data

    spec = load_spec(model)
    files = demo.build(spec, out, regions=regions, seed=seed)
    banner(True, spec)
    console.print(t("demo_written", out=out))
    if len(files) == 1:
        err_console.print(f"[yellow]{t('warning')}:[/] {t('no_kecamatan')}")
    for f in files:
        result = compute(spec, read_data(f, spec.tree.indicators))
        res_path = f.with_name(f.name.replace("jambi-", "hasil-"))
        output.write(result, res_path)
        console.print(f"  {f}  ->  {res_path}")
        if "kabkota" in f.name:
            console.print(ranking_table(result))
