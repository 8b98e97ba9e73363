"""One meaning per option across all commands; renamed options keep their old spelling for one
release with a message naming the new one; `rawan report --regions <CSV>` works."""

from __future__ import annotations

import pytest
import typer.main

from rawan.cli import app
from rawan.cli.options import MEANINGS, RENAMED, rewrite


def _commands(cmd=None, path=()):
    cmd = cmd or typer.main.get_command(app)
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), cmd


def _options():
    for path, cmd in _commands():
        for p in cmd.params:
            if p.param_type_name == "option":
                yield path, p


def test_every_option_has_one_documented_meaning():
    missing = sorted({f"{o} ({path})" for path, p in _options() for o in p.opts if o.startswith("--")
                      and o not in MEANINGS})
    assert not missing, f"add these options to MEANINGS in src/rawan/cli/options.py: {missing}"
    assert not [o for o in MEANINGS if not o.startswith("--")]


def test_a_short_flag_means_one_long_option_everywhere():
    seen: dict[str, set[str]] = {}
    for path, p in _options():
        longs = [o for o in p.opts if o.startswith("--")]
        for short in (o for o in p.opts + p.secondary_opts if not o.startswith("--")):
            seen.setdefault(short, set()).update(longs)
            assert MEANINGS[longs[0]][0] == short, f"{path}: {short} {longs} disagrees with MEANINGS"
    assert all(len(v) == 1 for v in seen.values()), seen
    assert seen["-r"] == {"--region"} and seen["-n"] == {"--runs"}


def test_regions_is_a_region_list_and_boundaries_are_boundaries_everywhere():
    for path, p in _options():
        if "--regions" in p.opts:
            assert "Daftar wilayah" in p.help, path
        if "--boundaries" in p.opts:
            assert "batas wilayah" in p.help.lower(), path


def test_one_default_seed_the_demos():
    from rawan.demo import DEFAULT_SEED

    seeds = {path: p.default for path, p in _options() if "--seed" in p.opts}
    assert set(seeds) == {"demo build", "infographic", "report", "robustness"}
    assert set(seeds.values()) == {DEFAULT_SEED} == {2024}
    runs = {path for path, p in _options() if "--runs" in p.opts}
    assert runs == {"infographic", "report", "robustness"}


def test_rewrite_turns_old_spellings_into_new_ones():
    said = []

    def warn(old, new):
        said.append((old, new))

    assert rewrite(["map", "-r", "h.csv", "-o", "m.svg"], warn) == ["map", "--result", "h.csv", "-o", "m.svg"]
    assert rewrite(["report", "--robustness=50", "-rdir"], warn) == ["report", "--runs", "50", "--regions", "dir"]
    assert rewrite(["explain", "-r", "15.02"], warn) == ["explain", "-r", "15.02"]  # -r is --region there
    assert rewrite(["map", "--", "-r"], warn) == ["map", "--", "-r"]
    assert said == [("-r", "--result"), ("--robustness", "--runs"), ("-r", "--regions")]
    assert set(RENAMED) == {"map", "report", "infographic"}


@pytest.fixture(scope="module")
def kabkota(tmp_path_factory):
    from rawan import demo
    from rawan.engine import load_spec

    out = tmp_path_factory.mktemp("demo")
    return demo.build(load_spec("ikp-2024"), out)[0]  # the kab/kota file


def test_report_takes_the_region_list_csv(rawan_cli, kabkota, jambi_data, tmp_path):
    # up to 0.1 this died with "TypeError: object of type 'NoneType' has no len()"
    out = tmp_path / "laporan.html"
    code, stdout, stderr = rawan_cli("report", "-m", "ikp-2024", "-d", kabkota, "-o", out, "--date", "2024-08-31",
                                     "--regions", jambi_data / "jambi-wilayah.csv", "--boundaries", "tiles")
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert "Kerinci" in html and 'data-code="15.01"' in html
    assert "Peringatan" not in stderr


def test_boundaries_given_a_region_list_is_a_named_problem(rawan_cli, kabkota, jambi_data, tmp_path):
    code, _, stderr = rawan_cli("map", "--result", kabkota, "-c", "i01", "-o", tmp_path / "m.svg",
                                "--boundaries", jambi_data / "jambi-wilayah.csv")
    assert code == 2 and "jambi-wilayah.csv" in stderr and "geometri" in stderr


def test_old_spellings_work_for_one_release_and_name_the_new_option(rawan_cli, kabkota, jambi_data, tmp_path):
    out = tmp_path / "a.html"
    code, stdout, stderr = rawan_cli("report", "-m", "ikp-2024", "-d", kabkota, "-o", out, "--date", "2024-08-31",
                                     "-r", jambi_data, "--robustness", "20", "--lang", "en")
    assert code == 0, stderr
    flat = " ".join(stderr.split())
    assert "Option --robustness has been renamed" in flat and "use --runs" in flat
    assert "Option -r has been renamed" in flat and "use --regions" in flat
    assert f"add --boundaries {jambi_data}" in flat
    new = tmp_path / "b.html"
    code, _, stderr = rawan_cli("report", "-m", "ikp-2024", "-d", kabkota, "-o", new, "--date", "2024-08-31",
                                "--regions", jambi_data, "--boundaries", jambi_data, "--runs", "20", "--lang", "en")
    assert code == 0 and "renamed" not in stderr and "diganti" not in stderr
    assert out.read_bytes() == new.read_bytes()  # the same report either way

    code, _, stderr = rawan_cli("map", "-r", kabkota, "-c", "i01", "-o", tmp_path / "m.svg", "--boundaries", "tiles")
    assert code == 0, stderr
    assert "Opsi -r sudah diganti" in " ".join(stderr.split()) and "pakai --result" in stderr
    assert (tmp_path / "m.svg").read_text(encoding="utf-8").startswith("<svg")
