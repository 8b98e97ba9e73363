"""The report as one self-contained HTML file: inline CSS, inline SVG, no scripts, no requests.

Same content as the PDF (rawan.reports.content).  Links in the sources section are
plain text, never loaded; there is no <img>, <link>, <script> or url(...) at all.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

CSS = (Path(__file__).resolve().parent / "templates" / "report.css").read_text(encoding="utf-8")


NUMBER = re.compile(r"[-−–]?[\d.,]+%?|–|[▲▼]\d+|=")


def e(s) -> str:
    return escape(str(s), quote=True)


def _badge(r: dict, short: bool = False) -> str:
    cls = f"badge cat-{r['cat'] or 'none'}"
    return (f'<span class="{cls}" style="background:{e(r["colour"])};color:{e(r["fg"])}">'
            f'{e(r["short"] if short else r["category"])}</span>')


def _table(header: list[str], rows: list[list[str]], cls: str = "", raw_cols: tuple = ()) -> str:
    """rows hold text cells; columns in raw_cols are already HTML."""
    numeric = [bool(rows) and k not in raw_cols and all(NUMBER.fullmatch(str(r[k])) for r in rows)
               for k in range(len(header))]
    out = [f'<table class="{cls}"><thead><tr>' + "".join(
        f'<th class="n">{e(h)}</th>' if numeric[k] else f"<th>{e(h)}</th>" for k, h in enumerate(header))
        + "</tr></thead><tbody>"]
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{c if k in raw_cols else e(c)}</td>" if k in raw_cols or not NUMBER.fullmatch(str(c))
                                    else f'<td class="n">{e(c)}</td>' for k, c in enumerate(r)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _map(slot: dict, w: dict) -> str:
    if slot["svg"]:
        cap = "" if "idn-area-data" in slot["svg"] else f'<figcaption>{e(w["map_attr"])}</figcaption>'
        return f'<figure class="map">{slot["svg"]}{cap}</figure>'
    return f'<p class="map-missing">{e(w["map_missing"].format(reason=slot["reason"]))}</p>'


def _stages_section(st: dict | None, w: dict) -> str:
    """The stages chapter (both books): intro, then each stage with its national finding and lines."""
    if not st:
        return ""
    return (f'<section id="tahapan"><h2>{e(w["stages"])}</h2><p>{e(st["intro"])}</p>' + "".join(
        f'<h3>{e(x["name"])}</h3>' + (f'<p class="note">{e(w["national_finding"])}: {e(x["national"])}</p>'
                                     if x["national"] else "")
        + ("<ul>" + "".join(f"<li>{e(i)}</li>" for i in x["items"]) + "</ul>" if x["items"] else "")
        for x in st["items"]) + "</section>")


def _tps_section(t: dict | None, w: dict) -> str:
    """The TPS chapter (both books, rawan.reports.tps_chapter): counts per indicator, never a score."""
    if not t:
        return ""
    return (f'<section id="tps"><h2>{e(t["title"])}</h2><p><strong>{e(t["subtitle"])}</strong></p>'
            f'<p>{e(t["intro"])}</p>' + (f"<p>{e(t['note'])}</p>" if t["note"] else "")
            + (f'<p>{e(" · ".join(b["label"] + ": " + b["n"] for b in t["bands"]))}</p>' if t.get("bands") else "")
            + _table(["#", w["indicator"], w["tps_count"], w["tps_where"]],
                     [[r["rank"], r["indicator"], r["tps"], r["where"]] for r in t["rows"]])
            + f'<p class="note">{e(t["overlap"])}</p>'
            + f'<p class="note">{e(w["sources"])}: {e("; ".join(t["sources"]))}</p></section>')


def _map_key(slot: dict, w: dict) -> str:
    """The numbered key of a map that numbers its regions, grouped by the unit above."""
    key = slot.get("key") or []
    if not key:
        return ""
    out = [f'<h3>{e(w["map_key"])}</h3><p class="note">{e(w["map_key_intro"])}</p><div class="map-key">']
    for line in key:
        out.append(f'<p class="head">{e(line["name"])}</p>' if line["head"] else
                   f'<p><span class="n">{e(line["n"])}</span> {e(line["name"])}</p>')
    return "".join(out) + "</div>"


SVG_BLOCK = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_ID = re.compile(r'\bid="([^"]+)"')


def scope_svg_ids(html: str) -> str:
    """Give the ids inside each inline SVG a prefix of its own (s1-, s2-, ...).

    Every map defines the same ids (patterns, gradients); in one HTML document ids must be
    unique, and ``url(#marked)`` would otherwise resolve to the first map's definition.
    """
    count = 0

    def scope(m: re.Match) -> str:
        nonlocal count
        svg = m.group(0)
        ids = sorted(set(SVG_ID.findall(svg)), key=len, reverse=True)
        if not ids:
            return svg
        count += 1
        for i in ids:
            new = f"s{count}-{i}"
            svg = (svg.replace(f'id="{i}"', f'id="{new}"').replace(f"url(#{i})", f"url(#{new})")
                   .replace(f'href="#{i}"', f'href="#{new}"'))
        return svg

    return SVG_BLOCK.sub(scope, html)


def render_html(doc: dict) -> str:
    w = doc["w"]
    mark = f'<div class="mark" role="note">{e(doc["synthetic_note"])}</div>' if doc["synthetic"] else ""
    sections = [("ringkasan", w["summary"]), ("peta", w["map_province"]), ("peringkat", w["ranking"]),
                ("dimensi", w["dimensions"]), ("profil", w["profiles"]), ("isu", w["issues"]),
                ("rekomendasi", w["recommendations"]), ("metodologi", w["methodology"]),
                ("lampiran", w["annex"]), ("sumber", w["attribution"])]
    h = ['<!DOCTYPE html>', f'<html lang="{e(doc["lang"])}"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f'<title>{e(doc["title"])} — {e(doc["subtitle"])}</title>', f"<style>{CSS}</style></head><body>"]
    if doc["synthetic"]:
        h.append(f'<div class="mark-bar">{e(doc["mark"])}</div>')
    # cover
    h.append('<header class="cover"><div class="inner">')
    if doc["title"] != w["report"]:
        h.append(f'<p class="kicker">{e(w["report"])}</p>')
    h.append(f'<h1>{e(doc["title"])}</h1><p class="subtitle">{e(doc["subtitle"])}</p>')
    if doc["place"]:
        h.append(f'<p class="place">{e(doc["place"])}</p>')
    h.append(f'<p>{e(w["level"])}: {e(doc["level_label"])} · {e(w["regions_n"])}: {e(doc["n"])} · '
             f'{e(w["date"])}: {e(doc["date"])} · {e(w["model"])}: {e(doc["model"]["id"])} ({e(doc["model"]["version"])})</p>')
    h.append("</div></header><main>")
    h.append(mark)
    if doc["assumption_note"]:
        h.append(f'<p class="assumption">{e(doc["assumption_note"])}</p>')
    h.append(f'<nav><h2>{e(w["toc"])}</h2><ol>' +
             "".join(f'<li><a href="#{k}">{e(t)}</a></li>' for k, t in sections) + "</ol></nav>")

    sb = doc.get("sambutan")
    if sb:
        h.append(f'<section id="sambutan"><h2>{e(sb["title"])}</h2>' + "".join(f"<p>{e(p)}</p>" for p in sb["paragraphs"])
                 + "".join(f'<p class="signature">{e(x)}</p>' for x in sb["signature"]) + "</section>")
    h.append(framing_html(doc.get("framing")))
    s = doc["summary"]
    h.append(f'<section id="ringkasan"><h2>{e(w["summary"])}</h2>')
    h += [f"<p>{e(p)}</p>" for p in s["paragraphs"]]
    h.append('<div class="two">')
    if s["counts"]:
        h.append(f'<div><h3>{e(w["counts"])}</h3>' + _table(
            [w["category"], w["count"], w["share"]], [[_badge(c), str(c["n"]), c["share"]] for c in s["counts"]],
            "num", raw_cols=(0,)) + "</div>")
    h.append(f'<div><h3>{e(w["top_regions"])}</h3>' + _table(
        ["#", w["region"], w["score"], w["category"]],
        [[t["rank"], e(t["name"]) + (f' <small>· {e(t["parent"])}</small>' if t["parent"] else ""), t["score"], _badge(t)]
         for t in s["top"]], "num", raw_cols=(1, 3)) + "</div></div>")
    if s["drivers"]:
        h.append(f'<h3>{e(w["drivers_all"])}</h3>' + _table(
            [w["code"], w["indicator"], w["contribution"]], [[d["code"], d["name"], d["value"]] for d in s["drivers"]], "num"))
    h.append(mark + "</section>")

    h.append(f'<section id="peta"><h2>{e(w["map_province"])}</h2>{_map(doc["province_map"], w)}'
             f'{_map_key(doc["province_map"], w)}{mark}</section>')

    rk = doc["ranking"]
    pc = rk.get("parent_col", False)  # kecamatan and desa: their kab/kota beside the name
    header = ["#", w["code"], w["region"]] + ([w["parent_kabkota"]] if pc else []) + [w["score"], w["category"]] + [
        d["name"] for d in rk["dims"]] + [w["completeness"]]
    if rk["robust"]:
        header += [w["rank_range"], w["class_stability"]]
    if rk["previous"]:
        header += [w["previous"], "±"]
    rows = []
    for r in rk["rows"]:
        row = [r["rank"], r["code"], f'<a href="#r-{e(r["code"])}">{e(r["name"])}</a>'] + ([r["parent"]] if pc else []) + [
            r["score"], _badge(r, short=True)] + r["dims"] + [r["completeness"]]
        if rk["robust"]:
            row += [r["range"], r["stability"] + (" !" if r["unstable"] else "")]
        if rk["previous"]:
            row += [r["prev_rank"], r["move"]]
        rows.append(row)
    h.append(f'<section id="peringkat"><h2>{e(w["ranking"])}</h2>')
    if doc["previous_note"]:
        h.append(f'<p class="note">{e(doc["previous_note"])}</p>')
    h.append(_table(header, rows, "num ranking", raw_cols=(2, 5) if pc else (2, 4)) + mark + "</section>")

    h.append(f'<section id="dimensi"><h2>{e(w["dimensions"])}</h2>')
    for d in doc["dimensions"]:
        see = f' {e(w["map_key_see"])}' if d["map"].get("wide") else ""
        h.append(f'<h3 id="dim-{e(d["code"])}">{e(d["name"])}</h3><p class="note">{e(d["intro"])} {e(w["mean"])}: '
                 f'{e(d["mean"])}{see}</p>')
        h.append(_map(d["map"], w))
        h.append(_table(["#", w["region"], w["score"]], [[t["rank"], t["name"], t["score"]] for t in d["top"]], "num"))
    h.append(mark + "</section>")

    h.append(f'<section id="profil"><h2>{e(w["profiles"])}</h2>')
    for p in doc["profiles"]:
        h.append(f'<article class="profile" id="r-{e(p["code"])}"><h3>{e(p["name"])} ({e(p["code"])})</h3>')
        if p["parent"]:
            h.append(f'<p class="note">{e(p["parent"])}</p>')
        h.append(f'<p class="headline"><span class="big">{e(p["score"])}</span> {_badge(p)} {e(p["rank_line"])} · '
                 f'{e(w["completeness"])}: {e(p["completeness"])}</p>')
        h.append(f'<div class="two"><figure class="chart">{p["chart"]}<figcaption>{e(w["dim_chart"])}</figcaption></figure>'
                 f'<figure class="locator">{p["map"]["svg"]}</figure></div>')
        h.append('<div class="two">' + _table(
            [w["dimension"] + " / " + w["subdimension"], w["score"], w["rank"]],
            [[f'<strong>{e(d["name"])}</strong>' if d["depth"] == 0 else f'<span class="sub">{e(d["name"])}</span>',
              d["score"], d["rank"]] for d in p["breakdown"]], "num breakdown", raw_cols=(0,)))
        h.append(_table([w["top_drivers"], w["value"], w["contribution"]],
                        [[f'{d["code"]} {d["name"]}', d["value"], d["contribution"]] for d in p["drivers"]], "num") + "</div>")
        h += [f"<p>{e(line)}</p>" for line in p["cut_lines"]]
        if p["previous"] is not None:
            h.append(f'<p><strong>{e(w["previous"])}.</strong> {e(p["previous"])}</p>')
        if p["robust"] is not None:
            r = p["robust"]
            h.append(f'<p><strong>{e(w["robust"])}.</strong> {e(w["rank_range"])}: {e(r["lo"])}–{e(r["hi"])} · '
                     f'{e(w["class_stability"])}: {e(r["stability"])}</p>')
        h.append(f'<p class="note">{e(w["missing_ind"])}: {e(p["missing"])}</p>{mark}</article>')
    h.append("</section>")

    iss = doc["issues"]
    h.append(f'<section id="isu"><h2>{e(w["issues"])}</h2><p>{e(iss["intro"])}</p>' + _table(
        ["#", w["code"], w["indicator"], w["dimension"], w["occurred_in"], w["highest_in"]],
        [[r["no"], r["code"], r["name"], r["dimension"], f'{r["regions"]} ({r["share"]})', r["top"]] for r in iss["rows"]],
        "issues") + "</section>")

    h.append(_stages_section(doc.get("stages"), w))
    h.append(_tps_section(doc.get("tps"), w))
    rec = doc["recommendations"]
    h.append(f'<section id="rekomendasi"><h2>{e(w["recommendations"])}</h2><p>{e(rec["intro"])}</p>')
    for it in rec["items"]:
        h.append(f'<h3>{e(it["issue"])}</h3><ul>' + "".join(f"<li>{e(a)}</li>" for a in it["actions"]) + "</ul>")
    if rec["standard"]:
        h.append("<ul>" + "".join(f"<li>{e(a)}</li>" for a in rec["standard"]) + "</ul>")
    h.append(register_html(doc.get("register"), w))
    h.append(organisations_html(rec, w))
    h.append("</section>")

    m = doc["methodology"]
    h.append(f'<section id="metodologi"><h2>{e(w["methodology"])}</h2><h3>{e(w["methods"])}</h3>')
    h += [f"<p>{e(x)}</p>" for x in m["methods"]]
    h.append(f'<h3>{e(w["cutoffs"])}</h3>' + "".join(f"<p>{e(x)}</p>" for x in m["cutoffs"]))
    h.append(f'<h3>{e(w["assumptions"])}</h3><dl>' + "".join(
        f'<dt>{e(a["code"])}</dt><dd>{e(a["text"])}' + (f'<br><small>{e(a["reason"])}</small>' if a["reason"] else "") + "</dd>"
        for a in m["assumptions"]) + "</dl>")
    h.append(f'<h3>{e(w["data"])}</h3>' + "".join(f"<p>{e(x)}</p>" for x in m["data"]) + f'<p>{e(m["completeness"])}</p>')
    h.append(f'<h3>{e(w["hierarchy"])}</h3>' + _table(
        [w["code"], w["indicator"] + " / " + w["dimension"], w["type"], w["weight"], w["direction"], w["method"]],
        [[r["code"], f'<span style="padding-left:{r["depth"] * 12}px">{e(r["name"])}</span>', r["type"], r["weight"],
          r["direction"], r["method"]] for r in m["hierarchy"]], "hierarchy", raw_cols=(1,)))
    h.append(mark + "</section>")

    h.append(f'<section id="lampiran"><h2>{e(w["annex"])}</h2><p class="note">{e(doc["annex"]["intro"])}</p>')
    for t in doc["annex"]["tables"]:
        h.append(f'<h3>{e(t["title"])}</h3><div class="scroll">' +
                 _table([w["code"], w["region"]] + t["cols"], t["rows"], "num annex") + "</div>")
    h.append(mark + "</section>")

    h.append(f'<section id="sumber"><h2>{e(w["attribution"])}</h2><h3>{e(w["sources"])}</h3><ul class="sources">')
    for src in m["sources"]:
        conf = f' [{e(src["confidence"])}]' if src["confidence"] else ""
        url = f'<br><span class="url">{e(src["url"])}</span>' if src["url"] else ""
        note = f'<br><small>{e(src["note"])}</small>' if src["note"] else ""
        h.append(f'<li><strong>{e(src["title"])}</strong>{conf}{url}{note}</li>')
    h.append(f'</ul><h3>{e(w["recipe"])}</h3>' + _table(["", ""], doc["recipe"], "recipe"))
    h += [f"<p>{e(x)}</p>" for x in doc["attribution"]]
    h.append(f'</section></main><footer>{e(doc["model"]["id"])} {e(doc["model"]["version"])} · {e(doc["produced_by"])}'
             f'{" · " + e(doc["mark"]) if doc["synthetic"] else ""}</footer></body></html>')
    return scope_svg_ids("\n".join(h)) + "\n"


def render_published_html(doc: dict) -> str:
    """The results-only book as one self-contained HTML page (same content as published.typ)."""
    w = doc["w"]
    out = [f'<!DOCTYPE html><html lang="{e(doc["lang"])}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<title>{e(doc["title"])}</title><style>{CSS}</style></head><body><main>',
           f'<header class="cover"><p class="kicker">{e(w["report"])}</p><h1>{e(doc["title"])}</h1>'
           f'<p>{e(doc["subtitle"])}</p><p>{e(doc["place"])} · {e(w["level"])}: {e(doc["level_label"])} · '
           f'{e(w["regions_n"])}: {e(doc["n"])} · {e(w["date"])}: {e(doc["date"])}</p>'
           f'<p class="note">{e(doc["results_note"])}</p></header>']
    s = doc.get("sambutan")
    if s:
        out.append(f'<section><h2>{e(s["title"])}</h2>' + "".join(f"<p>{e(p)}</p>" for p in s["paragraphs"])
                   + "".join(f'<p class="signature">{e(x)}</p>' for x in s["signature"]) + "</section>")
    out.append(framing_html(doc.get("framing")))
    out.append(f'<section><h2>{e(w["summary"])}</h2>' + "".join(f"<p>{e(p)}</p>" for p in doc["summary"]["paragraphs"]))
    out.append(_table([w["category"], w["count"], w["share"]],
                      [[_badge(c), c["n"], c["share"]] for c in doc["summary"]["counts"]], raw_cols=(0,)))
    fig = doc["figures"]
    out.append(f'<h3>{e(w["figure_national"] if doc["level_label"] == w["level_provinsi"] else w["figure"])}</h3>')
    for f in fig["items"]:
        out.append(f'<p><strong>{e(f["score"])}</strong> {_badge(f)} {e(f["name"])}'
                   + (f' [{e(f["confidence"])}]' if f["confidence"] else "")
                   + (f'<br>{e(w["approach"])}: {e(f["approach"])}' if f["approach"] else "")
                   + f'<br><small>{e(w["sources"])}: {e(f["sources"])}</small></p>')
    if fig["note"]:
        out.append(f"<p>{e(fig['note'])}</p>")
    if doc["scale_note"]:
        out.append(f'<h3>{e(w["scale_note"])}</h3><p>{e(doc["scale_note"])}</p>')
    out.append("</section>")
    out.append(f'<section><h2>{e(w["map_province"])}</h2>{_map(doc["category_map"], w)}{_map(doc["score_map"], w)}'
               + "".join(f'<h3>{e(d["name"])}</h3>{_map(d["map"], w)}' for d in doc["dimension_maps"]) + "</section>")
    rk = doc["ranking"]
    header = ["#", w["code"], w["region"]] + ([w["parent_kabkota"]] if rk["parent_col"] else []) + [
        w["score"], w["category"]] + [d["name"] for d in rk["dims"]] + [w["stability"], w["sources"]]
    cat_col = 4 if rk["parent_col"] else 3
    rows = [[r["rank"], r["code"], r["name"]] + ([r["parent"]] if rk["parent_col"] else []) + [r["score"], _badge(r)]
            + r["dims"] + ["–", r["source"]] for r in rk["rows"]]
    out.append(f'<section><h2>{e(w["ranking"])}</h2>' + _table(header, rows, raw_cols=(cat_col,))
               + f'<p class="note">{e(w["stability"])} –: {e(doc["stability_note"])}</p></section>')
    out.append(_stages_section(doc.get("stages"), w))
    out.append(_tps_section(doc.get("tps"), w))
    rec = doc["recommendations"]
    out.append(f'<section><h2>{e(w["recommendations"])}</h2><p>{e(rec["intro"])}</p>'
               + register_html(doc.get("register"), w) + organisations_html(rec, w) + "</section>")
    out.append(f'<section><h2>{e(w["attribution"])}</h2>')
    for src in doc["sources"]:
        out.append(f'<p><strong>{e(src["title"])}</strong>' + (f' [{e(src["confidence"])}]' if src["confidence"] else "")
                   + (f'<br><small>{e(src["url"])}</small>' if src["url"] else "")
                   + (f'<br>{e(src["note"])}' if src["note"] else "") + "</p>")
    out.append(f"<p>{e(doc['data_line'])}</p>" + "".join(f"<p>{e(x)}</p>" for x in doc["attribution"]))
    out.append("</section></main></body></html>")
    return scope_svg_ids("\n".join(out))


def framing_html(f: dict | None) -> str:
    if not f:
        return ""
    out = [f'<section class="framing"><h2>{e(f["title"])}</h2>']
    for sec in f["sections"]:
        out.append(f'<h3>{e(sec["title"])}</h3>' + "".join(f"<p>{e(p)}</p>" for p in sec["paragraphs"]))
        out += [f'<blockquote><p>“{e(q["text"])}”</p><footer>— {e(q["who"])}</footer></blockquote>' for q in sec["quotes"]]
        if sec["items"]:
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in sec["items"]) + "</ul>")
    if f["sources"]:
        out.append(f'<p class="note">{e(f["sources_label"])}: {e("; ".join(f["sources"]))}</p>')
    out.append("</section>")
    return "".join(out)


def organisations_html(rec: dict, w: dict) -> str:
    """Recommendations per organisation (roles.md), as in common.typ."""
    if not rec.get("orgs"):
        return ""
    out = [f'<h3>{e(w["by_org"])}</h3><p class="note">{e(rec["orgs_intro"])}</p>']
    for o in rec["orgs"]:
        own = f' <small>({e(w["own_actions"])})</small>' if o["own"] else ""
        out.append(f'<h4>{e(o["name"])}{own}</h4><ul>' + "".join(f"<li>{e(x)}</li>" for x in o["lines"]) + "</ul>")
        if o["issues"]:
            out.append(f'<p class="note">{e(w["related_issues"])}: {e("; ".join(o["issues"]))}</p>')
    return "".join(out)


def register_html(g: dict | None, w: dict) -> str:
    """The mitigation register (as common.typ's register-chapter)."""
    if not g:
        return ""
    out = [f'<h3>{e(w["register_title"])}</h3><p class="note">{e(w["register_intro"])}</p>']
    for o in g["recommendations"]:
        out.append(f'<h4>{e(o["organisation"])} ({e(o["kind"])})</h4>')
        for r in o["regions"]:
            out.append(f'<p><strong>{e(r["name"])}</strong></p><ul>')
            for it in r["items"]:
                extra = (f' <small>[{e(it["indicator_name"])}]</small>' if it["indicator_name"] else "") + (
                    f' <small>TPS {e(it["tps"])}</small>' if it["tps"] else "")
                fu = "".join(f'<br><small>{e(w["follow_up"])} {e(f["date"])}: {e(f["text"])}</small>'
                             for f in it["follow_up"])
                out.append(f"<li>{e(it['text'])}{extra}{fu}</li>")
            out.append("</ul>")
    if g["actions"]:
        out.append(f'<h4>{e(w["bawaslu_actions"])}</h4>')
        for r in g["actions"]:
            out.append(f'<p><strong>{e(r["name"])}</strong></p><ul>' + "".join(
                f'<li>{e(it["title"])} — {e(it["owner"])} · {e(it["status"])}'
                + (f' · {e(it["due"])}' if it["due"] else "") + "</li>" for it in r["items"]) + "</ul>")
    return "".join(out)
