"""One meaning per option across all commands, and the old spellings of renamed options.

``MEANINGS`` is the table in docs/cli.md: every long option of every command has exactly one
entry, and a short flag always stands for the same long option (tests/test_cli_options.py checks
both against the real commands). ``RENAMED`` keeps the spellings that changed in 0.2 working for
one release: :func:`rewrite` turns them into the new ones before the command line is parsed and
says so on stderr, naming the new option.
"""

from __future__ import annotations

# long option -> (short flag or "", meaning in English); the same meaning in every command
MEANINGS: dict[str, tuple[str, str]] = {
    "--model": ("-m", "methodology: a built-in model id (e.g. ikp-2024) or a YAML/iMeta file"),
    "--data": ("-d", "indicator data of the edition: CSV, XLSX or Parquet; for report and infographic also a "
                     "published results table (code, name, score, category), an edition file (YAML) or a shipped "
                     "edition's name (pilkada-2024-jambi, ikp-2024-provinsi), without --model (docs/reports.md)"),
    "--locale": ("", "how numbers in a file that does not declare it are read: id (1.234 = 1234, 12,5 = 12.5) "
                     "or en (1.234 = 1.234, 1,234 = 1234); without it '1.234' is a named problem (docs/intake.md)"),
    "--out": ("-o", "the file (or folder) written; its suffix chooses the format"),
    "--level": ("", "region level: provinsi, kabupaten_kota, kecamatan, desa_kelurahan (default: from the codes; "
                    "for events: the level summed to)"),
    "--region": ("-r", "one region code, e.g. 15.02 (dotted or not)"),
    "--regions": ("", "region list: a CSV (jambi-wilayah.csv format) or a folder holding it; default: the user "
                      "data directory, then $RAWAN_SHARED_DATA, then ../shared/data"),
    "--boundaries": ("", "boundaries for maps: a stored .npz, GeoJSON, GeoPackage or zipped Shapefile, a folder "
                         "holding one, or 'tiles' for the tile grid; default: the same places as --regions"),
    "--parent": ("", "only the regions under this code (e.g. 15.01)"),
    "--weight-groups": ("", "how weights form sensitivity-analysis factors: level (one per tree level), node (one "
                            "per weight) or all (every weight one uncertain input)"),
    "--reference": ("", "a stored reference (JSON from compute --save-reference): scores, classes and ranks "
                        "against that run's bounds, cut-offs and regions (docs/reference.md)"),
    "--save-reference": ("", "write this run's reference (normalisation bounds, imputation values, cut-offs, "
                             "index scores) to a JSON file, for --reference"),
    "--runs": ("-n", "number of uncertainty-analysis runs (report: 0 = no robustness section; infographic: unstable "
                     "categories marked and named)"),
    "--seed": ("", "random seed; the same seed gives the same result (default 2024)"),
    "--title": ("", "title printed on the output"),
    "--subtitle": ("", "subtitle printed on the map"),
    "--date": ("", "date printed on the output, YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)"),
    "--top": ("", "how many to show: top drivers (explain) or top regions on the chart (robustness)"),
    "--show": ("", "also print the ranking table"),
    "--previous": ("", "indicator data of the previous edition, for the change columns"),
    "--recommendations": ("", "recommendations file (default: the one the model carries)"),
    "--tagged": ("", "tagged (accessible) PDF; slower and larger"),
    "--sambutan": ("", "a foreword (sambutan) text file: optional first line '# Title', paragraphs, signature after "
                       "a line '--'"),
    "--tps": ("", "the book's TPS chapter: a published TPS-rawan mapping (e.g. jambi-pilkada-2024) or a TPS results "
                  "file exported from the web app (its counts and whether the collection was closed)"),
    "--election": ("", "pemilu or pilkada: the legal basis the framing chapter cites (a published edition names "
                       "its own)"),
    "--all": ("", "one PNG for the edition and one per region, into the --out folder"),
    "--plan": ("", "run plan (CSV/XLSX, one row per run) to replay; replaces --runs, --seed and the design"),
    "--spread": ("", "weights multiplied by U(1-p, 1+p); 0 = fixed weights"),
    "--weight-levels": ("", "levels whose weights vary, e.g. '1,2' (1 = indicators)"),
    "--normalisation": ("", "normalisation alternatives separated by ';'"),
    "--aggregation": ("", "aggregation alternatives per level: 'L:alt;alt'"),
    "--category": ("", "category-rule alternatives separated by ';'"),
    "--imputation": ("", "imputation alternatives separated by ';'"),
    "--leave-one-out": ("", "add 'one indicator left out' as an uncertain input"),
    "--dirichlet": ("", "Dirichlet weights with this concentration instead of U(1-p, 1+p)"),
    "--sensitivity": ("", "Saltelli sensitivity analysis with N base samples (0 = none)"),
    "--first-order": ("", "first-order estimator: saltelli2010 or jansen"),
    "--target": ("", "sensitivity target: rank_shift, score:<code> or rank:<code>"),
    "--chunk": ("", "runs per chunk (bounds memory)"),
    "--kind": ("", "template kind: kuesioner (one row per region) or kejadian (one row per event)"),
    "--copy": ("", "where to write the marked-up copy (.xlsx)"),
    "--no-copy": ("", "write no marked-up copy"),
    "--user": ("", "who imports or creates (recorded in the provenance or the audit log)"),
    "--result": ("", "result table (rawan compute output) or any table of code + value"),
    "--column": ("-c", "the column mapped: category, index, or another score column"),
    "--mode": ("", "map mode: category, continuous or auto"),
    "--width": ("", "map width in pixels"),
    "--scale": ("", "PNG pixels per SVG pixel"),
    "--marked": ("", "region codes to mark on the map, comma-separated"),
    "--depth": ("", "depth of the region tree shown"),
    "--code-field": ("", "column of the boundary file holding the region code"),
    "--layer": ("", "layer of a GeoPackage"),
    "--province": ("", "province code (e.g. 15 = Jambi)"),
    "--registry": ("", "npm registry address"),
    "--package-version": ("", "idn-area-data version"),
    "--boundaries-url": ("", "base address of the cahyadsn/wilayah_boundaries files"),
    "--dest": ("", "destination folder (default: the user data directory)"),
    "--host": ("", "address the web server listens on"),
    "--port": ("", "port the web server listens on"),
    "--threads": ("", "web server threads"),
    "--workers": ("", "web server processes (gunicorn; Linux/macOS); 1 = waitress"),
    "--worker": ("", "also run one background worker beside the web server, stopped with it"),
    "--queue": ("", "job queue a worker takes jobs from (repeatable)"),
    "--interval": ("", "seconds an idle worker waits between looks at the queue"),
    "--max-tasks": ("", "the worker stops after this many jobs"),
    "--until-empty": ("", "the worker stops when no job is ready"),
    "--id": ("", "the worker's unique name (default: host, process id and a random tag)"),
    "--state": ("", "list only jobs in this state: queued, running, retrying, done, failed"),
    "--limit": ("", "list at most this many jobs"),
    "--watch": ("", "follow one job (its id or the start of it) until it ends"),
    "--dir": ("", "folder the backup is written to (the file name carries the UTC time)"),
    "--replace": ("", "overwrite a database that already holds data"),
    "--name": ("", "a name for the API token"),
    "--days": ("", "how many days the API token is valid: 7, 30, 90 or 365"),
    "--scope": ("", "what the API token may do: read or write"),
    "--edition": ("", "an edition slug the API token is limited to (repeatable; none: every edition)"),
    "--serve": ("", "rawan demo: start the web server (and the task worker) after loading; --no-serve: build and load only"),
    "--reset": ("", "reload the demo (deletes the demo editions)"),
    "--role": ("", "user role: admin, operator, verifier, viewer"),
    "--organisation": ("", "the user's organisation"),
    "--reactivate": ("", "reactivate instead of deactivating"),
    "--tps-list": ("", "TPS registry of one election: Parquet written by rawan tps import / rawan tps demo"),
    "--checklist": ("", "TPS checklist answers: Parquet written by rawan tps import --tps-list"),
    "--variable": ("", "a TPS-model variable code (e.g. v7): only the TPS meeting it"),
    "--indicator": ("", "a TPS-model indicator code (e.g. i17): only the TPS meeting it"),
    "--published": ("", "published TPS-rawan figures kept as released (e.g. jambi-pilkada-2024)"),
    "--points": ("", "add the TPS with coordinates as dots on the map"),
    "--national": ("", "all Indonesia (every desa of the shipped national list) instead of Jambi"),
    "--tps-count": ("", "number of synthetic TPS to make"),
    "--lang": ("", "message language: id (default) or en; accepted anywhere on the line"),
    "--debug": ("", "show tracebacks; accepted anywhere on the line"),
}

# command -> old spelling -> the new spelling(s) it stands for (renamed in 0.2; removed in 0.3)
RENAMED: dict[str, dict[str, tuple[str, ...]]] = {
    "map": {"-r": ("--result",)},
    "report": {"-r": ("--regions",), "--robustness": ("--runs",)},
    "infographic": {"-r": ("--regions",)},
}


def rewrite(args: list[str], warn) -> list[str]:
    """The command line with renamed options in their new spelling; ``warn(old, new)`` for each.

    ``-r`` of report/infographic becomes ``--regions`` (a folder there still gives the boundaries
    too, see rawan.cli.reports); ``-r`` of map becomes ``--result``; ``--robustness N``, ``--runs N``."""
    if not args or args[0] not in RENAMED:
        return args
    table = RENAMED[args[0]]
    out = [args[0]]
    i = 1
    while i < len(args):
        a = args[i]
        if a == "--":
            out += args[i:]
            break
        old, value = a, None
        if a.startswith("--") and "=" in a:
            old, value = a.split("=", 1)
        elif not a.startswith("--") and len(a) > 2 and a[:2] in table:  # -rVALUE
            old, value = a[:2], a[2:]
        if old in table:
            new = table[old]
            warn(old, " ".join(new))
            if value is None:
                value = args[i + 1] if i + 1 < len(args) else None
                i += 1
            for n in new:
                out += [n] if value is None else [n, value]
            i += 1
            continue
        out.append(a)
        i += 1
    return out
