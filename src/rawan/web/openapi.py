"""The API's OpenAPI 3.1 document: every operation with its parameters, the schema and an example
of every answer (errors as RFC 9457 problem details), and the human-readable page generated from
it (``/api/``, no script, no external file).

The examples are the real published Pilkada 2024 figures of Jambi (domain.md §4.3) and, for the
computed case, the DATA CONTOH edition; ``tests/web/test_web_openapi.py`` validates every example
against its schema, and the schemathesis run of the slow tier checks the live answers against it.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import __version__
from ..vocabulary import SYNTHETIC_MARK

PROBLEM = "application/problem+json"
NUM_OR_NULL = {"type": ["number", "null"]}
STR_OR_NULL = {"type": ["string", "null"]}
CODE_PATTERN = r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

SCHEMAS: dict[str, dict] = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status"],
        "description": "RFC 9457 problem details: every error of the API.",
        "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                       "detail": {"type": "string"},
                       "fields": {"type": "object", "additionalProperties": {"type": "string"},
                                  "description": "invalid entry values: indicator code -> message"}}},
    "Edition": {
        "type": "object",
        "required": ["slug", "title", "status", "results_only", "synthetic", "level", "scope", "version"],
        "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"}, "title_en": STR_OR_NULL,
            "status": {"type": "string", "enum": ["draft", "pengumpulan", "verifikasi", "terbit", "arsip"]},
            "results_only": {"type": "boolean", "description": "published scores and categories only, no indicator data"},
            "synthetic": {"type": "boolean", "description": f"{SYNTHETIC_MARK}: synthetic values, not Bawaslu data"},
            "level": {"type": "string"}, "scope": {"type": "string"}, "model": STR_OR_NULL,
            "version": {"type": "integer"}, "source": STR_OR_NULL,
            "source_en": {**STR_OR_NULL, "description": "the source text in English (null: Indonesian only)"},
            "source_urls": {"type": "array", "items": {"type": "string"}},
            "confidence": {**STR_OR_NULL, "description": "C confirmed, S single source, X sources conflict, I inference"},
            "scale_note": STR_OR_NULL, "published_at": {**STR_OR_NULL, "format": "date-time"},
            "bundle_sha256": STR_OR_NULL, "previous": STR_OR_NULL,
            "note": {"type": "string", "description": f"present on {SYNTHETIC_MARK} editions"}}},
    "EditionList": {"type": "object", "required": ["editions"],
                    "properties": {"editions": {"type": "array", "items": {"$ref": "#/components/schemas/Edition"}}}},
    "Stability": {
        "type": "object", "description": "rank interval (5-95 %) and share of replays keeping the category",
        "properties": {"rank_low": {"type": ["integer", "null"]}, "rank_high": {"type": ["integer", "null"]},
                       "class_stability": NUM_OR_NULL, "stable": {"type": ["boolean", "null"]}}},
    "ResultRow": {
        "type": "object", "required": ["code", "name", "score", "rank", "category", "dimensions"],
        "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}, "score": NUM_OR_NULL,
            "rank": {"type": ["integer", "null"], "description": "descending; ties share the lowest rank (9, 9, 11)"},
            "category": {**STR_OR_NULL, "enum": ["tinggi", "sedang", "rendah", None]},
            "dimensions": {"type": "object", "additionalProperties": NUM_OR_NULL},
            "note": STR_OR_NULL, "completeness": NUM_OR_NULL,
            "stability": {"oneOf": [{"$ref": "#/components/schemas/Stability"}, {"type": "null"}]}}},
    "Robustness": {
        "type": ["object", "null"],
        "description": "null when the edition has no robustness results (results-only editions never do)",
        "properties": {"runs": {"type": "integer"}, "stable_share": {"type": "number"}, "seed": {"type": "integer"}}},
    "Results": {
        "type": "object", "required": ["edition", "synthetic", "level", "results", "table", "robustness"],
        "properties": {
            "edition": {"type": "string"}, "synthetic": {"type": "boolean"}, "level": {"type": "string"},
            "note": {"type": "string"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/ResultRow"}},
            "robustness": {"$ref": "#/components/schemas/Robustness"},
            "table": {"type": "object", "required": ["columns", "rows"],
                      "description": "the one result table of every download (the bundle's results.csv columns)",
                      "properties": {"columns": {"type": "array", "items": {"type": "string"}},
                                     "rows": {"type": "array", "items": {"type": "array"}}}}}},
    "RegionList": {
        "type": "object", "required": ["edition", "level", "scope", "regions"],
        "properties": {"edition": {"type": "string"}, "level": {"type": "string"}, "scope": {"type": "string"},
                       "regions": {"type": "array", "items": {
                           "type": "object", "required": ["code", "name", "has_result"],
                           "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                          "has_result": {"type": "boolean"}}}}}},
    "Region": {
        "type": "object", "required": ["edition", "code", "name", "synthetic", "result", "top_drivers"],
        "properties": {
            "edition": {"type": "string"}, "code": {"type": "string"}, "name": {"type": "string"},
            "synthetic": {"type": "boolean"},
            "result": {"oneOf": [{"$ref": "#/components/schemas/ResultRow"}, {"type": "null"}]},
            "top_drivers": {"type": "array", "items": {
                "type": "object", "required": ["indicator", "score", "to_index"],
                "properties": {"indicator": {"type": "string"}, "score": NUM_OR_NULL, "to_index": NUM_OR_NULL}}},
            "previous": {"type": "object", "properties": {
                "edition": {"type": "string"}, "score": NUM_OR_NULL, "rank": {"type": ["integer", "null"]},
                "category": STR_OR_NULL, "same_scale": {"type": "boolean"}, "warning": STR_OR_NULL}}}},
    "Entry": {
        "type": "object", "required": ["edition", "code", "status", "values", "notes"],
        "properties": {"edition": {"type": "string"}, "code": {"type": "string"},
                       "status": {"type": "string", "enum": ["draft", "submitted", "verified", "returned"]},
                       "values": {"type": "object", "additionalProperties": NUM_OR_NULL},
                       "notes": {"type": "object", "additionalProperties": {"type": "string"}},
                       "comment": STR_OR_NULL}},
    "EntryDocument": {
        "type": "object", "additionalProperties": False,
        "properties": {"values": {"type": "object", "additionalProperties": {"type": ["number", "string", "null"]}},
                       "notes": {"type": "object", "additionalProperties": {"type": ["string", "null"], "maxLength": 1000}},
                       "submit": {"type": "boolean"}}},
    "TpsEdition": {
        "type": "object",
        "required": ["slug", "title", "status", "election", "model", "results_only", "synthetic", "scope", "window"],
        "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"}, "title_en": STR_OR_NULL,
            "status": {"type": "string", "enum": ["draft", "pengumpulan", "verifikasi", "terbit", "arsip"]},
            "election": {"type": "string"}, "model": {"type": "string"},
            "results_only": {"type": "boolean", "description": "published counts only, no checklists"},
            "synthetic": {"type": "boolean", "description": f"{SYNTHETIC_MARK}: synthetic values, not Bawaslu data"},
            "scope": {"type": "string"},
            "window": {"type": "array", "minItems": 2, "maxItems": 2, "items": {**STR_OR_NULL, "format": "date"},
                       "description": "the collection window: first and last day (null: not set)"},
            "source": STR_OR_NULL, "source_urls": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string", "description": f"present on {SYNTHETIC_MARK} editions"}}},
    "TpsEditionList": {"type": "object", "required": ["editions"],
                       "properties": {"editions": {"type": "array", "items": {"$ref": "#/components/schemas/TpsEdition"}}}},
    "TpsCounts": {
        "type": "object", "description": "desa per reporting status (belum, sebagian, lapor, tidak_ada, kembali), "
                                         "their number n and the reported ones (lapor + tidak_ada)",
        "required": ["belum", "sebagian", "lapor", "tidak_ada", "kembali", "n", "reported"],
        "properties": {**{k: {"type": "integer", "minimum": 0} for k in
                          ("belum", "sebagian", "lapor", "tidak_ada", "kembali", "n", "reported")},
                       "code": {"type": "string"}, "name": {"type": "string"}}},
    "TpsProgress": {
        "type": "object", "required": ["edition", "total", "kabupaten_kota", "kecamatan"],
        "description": "who has reported, in the caller's supervised region (Panwascam: their kecamatan)",
        "properties": {"edition": {"type": "string"}, "total": {"$ref": "#/components/schemas/TpsCounts"},
                       "kabupaten_kota": {"type": "array", "items": {"$ref": "#/components/schemas/TpsCounts"}},
                       "kecamatan": {"type": "array", "items": {"$ref": "#/components/schemas/TpsCounts"}}}},
    "TpsStation": {
        "type": "object", "required": ["tps", "label", "version", "answers", "notes", "photo", "saved_at"],
        "properties": {"tps": {"type": "integer"}, "label": {"type": "string"},
                       "version": {"type": "integer", "minimum": 0,
                                   "description": "0: never saved; each applied save adds one"},
                       "answers": {"type": "array", "items": {"type": "string"},
                                   "description": "the indicators answered \"ya\" (in the model's order)"},
                       "notes": {"type": "object", "additionalProperties": {"type": "string"}},
                       "photo": {"type": "boolean"}, "saved_at": {**STR_OR_NULL, "format": "date-time"}}},
    "TpsDesa": {
        "type": "object", "required": ["edition", "desa", "name", "status", "comment", "checklist", "tps"],
        "properties": {
            "edition": {"type": "string"}, "desa": {"type": "string"}, "name": {"type": "string"},
            "status": {"type": "string", "enum": ["belum", "sebagian", "lapor", "tidak_ada", "kembali"]},
            "comment": {**STR_OR_NULL, "description": "the supervisor's comment when the desa was returned"},
            "checklist": {"type": "array", "description": "the model's indicators grouped by variable", "items": {
                "type": "object", "required": ["code", "name", "indicators"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                               "indicators": {"type": "array", "items": {
                                   "type": "object", "required": ["code", "name", "short"],
                                   "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                                  "short": {"type": "string"}}}}}}},
            "tps": {"type": "array", "items": {"$ref": "#/components/schemas/TpsStation"}}}},
    "TpsSave": {
        "type": "object", "required": ["save_id", "base_version"], "additionalProperties": False,
        "description": "one TPS checklist save, as the phone sends it (the page's form has the same fields)",
        "properties": {
            "save_id": {"type": "string", "format": "uuid",
                        "description": "made once per save: the same save sent again is applied once"},
            "base_version": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1,
                             "description": "the version the checklist was made on; older than the TPS's: a conflict"},
            "answers": {"type": "array", "items": {"type": "string"}, "description": "indicator codes answered \"ya\""},
            "notes": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 500},
                      "description": "a short note per \"ya\" (notes of other indicators are dropped)"}}},
    "TpsSaveAnswer": {
        "type": "object", "required": ["outcome", "save_id", "version", "current"],
        "properties": {"outcome": {"type": "string", "enum": ["applied", "conflict", "kept", "taken"],
                                   "description": "applied; conflict (kept for the supervisor); kept or taken "
                                                  "(a resent conflict the supervisor has decided)"},
                       "save_id": {"type": "string"}, "version": {"type": "integer"},
                       "current": {"$ref": "#/components/schemas/TpsStation"}}},
    "TpsConflict": {
        "type": "object", "required": ["type", "title", "status", "outcome", "save_id", "version", "current"],
        "description": "problem details of a save made on an older version: nothing overwritten, the save is "
                       "kept for the supervisor, who sees both and chooses",
        "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                       "detail": {"type": "string"},
                       "outcome": {"type": "string", "enum": ["conflict", "kept", "taken"]},
                       "save_id": {"type": "string"}, "version": {"type": "integer"},
                       "current": {"$ref": "#/components/schemas/TpsStation"}}},
    "Health": {"type": "object", "required": ["status", "database", "cache"],
               "properties": {"status": {"type": "string", "enum": ["ok", "error"]}, "database": {"type": "string"},
                              "cache": {"type": "string"}, "rawan": {"type": "string"}}},
    "OpenAPI": {"type": "object", "required": ["openapi", "info", "paths"]},
}

_TPS_E = SCHEMAS["TpsEdition"]
SCHEMAS.update({
    "TpsResults": {
        "type": "object", "required": _TPS_E["required"],
        "description": "the edition with its counts in Bawaslu's format (collected editions) or the "
                       "published figures as written (results-only editions)",
        "properties": {**_TPS_E["properties"],
                       "counts": {"type": "object", "required": ["code", "name", "level", "n_tps", "reported", "rawan"],
                                  "description": "the province's counts: TPS, reported, TPS rawan, share, indicators "
                                                 "grouped by how often they occur, the kab/kota below"},
                       "published": {"type": "object", "required": ["id", "rows"],
                                     "description": "the figures Bawaslu published, with their sources"}}},
    "TpsCountTable": {
        "type": "object", "required": [*_TPS_E["required"], "level", "rows"],
        "properties": {**_TPS_E["properties"], "level": {"type": "string"},
                       "rows": {"type": "array", "items": {
                           "type": "object", "required": ["level", "code"],
                           "description": "one region: TPS, reported, TPS rawan, share, one count per indicator "
                                          "(i01 …) and per variable (v1 …)",
                           "additionalProperties": {"type": ["number", "string", "null"]}}}}},
    "TpsList": {
        "type": "object", "required": [*_TPS_E["required"], "region", "filter", "columns", "rows"],
        "properties": {**_TPS_E["properties"], "region": {"type": "string"}, "filter": {"type": "string"},
                       "columns": {"type": "array", "items": {"type": "string"}},
                       "rows": {"type": "array", "items": {"type": "array",
                                                           "items": {"type": ["string", "number", "null"]}}}}},
    "TpsPress": {"type": "object", "required": ["edition", "region", "markdown"],
                 "properties": {"edition": {"type": "string"}, "region": {"type": "string"},
                                "markdown": {"type": "string", "description": "the press-release draft (Markdown)"}}},
})

_PIL = {"code": "15.03", "name": "Kabupaten Sarolangun", "score": 26.05, "rank": 1, "category": "tinggi",
        "dimensions": {}, "note": "[C]", "stability": None}
_EDITION = {"slug": "pilkada-2024-jambi", "title": "Pemetaan Kerawanan Pilkada Serentak 2024 — Provinsi Jambi",
            "title_en": "Pilkada 2024 vulnerability mapping — Jambi province", "status": "terbit",
            "results_only": True, "synthetic": False, "level": "kabupaten_kota", "scope": "15", "model": None,
            "version": 1, "source": "Bawaslu Provinsi Jambi, peluncuran Pemetaan Kerawanan Pilkada 2024, 31 Agustus 2024",
            "source_en": "Bawaslu Provinsi Jambi, launch of the Pilkada 2024 vulnerability mapping, 31 August 2024",
            "source_urls": ["https://jambi.tribunnews.com/2024/09/01/waspada-ini-2-daerah-di-jambi-yang-rawan-saat-pilkada-serentak-2024-versi-ikp-bawaslu?page=all"],
            "confidence": "C", "scale_note": "Skala pemetaan ini berbeda dengan IKP 2024: 22,3 sudah 'tinggi'.",
            "published_at": "2024-08-31T00:00:00+00:00", "bundle_sha256": None, "previous": "ikp-2024-jambi"}
_COMPUTED = {"code": "15.01", "name": "Kabupaten Kerinci", "score": 33.333333, "rank": 5, "category": "sedang",
             "dimensions": {"sospol": 39.583333, "penyelenggaraan": 41.666667, "kontestasi": 22.222222,
                            "partisipasi": 11.111111}, "note": None,
             "stability": {"rank_low": 5, "rank_high": 5, "class_stability": 1.0, "stable": True}}
_TPS_EDITION = {"slug": "contoh-tps-pengumpulan-2026", "title": f"{SYNTHETIC_MARK} — Pengumpulan TPS rawan 2026",
                "title_en": None, "status": "pengumpulan", "election": "pilkada-2024", "model": "tps-pilkada-2024",
                "results_only": False, "synthetic": True, "scope": "15", "window": ["2026-11-01", "2026-11-06"],
                "source": None, "source_urls": [], "note": f"{SYNTHETIC_MARK} — data sintetis, bukan data Bawaslu"}
_TPS_PUB = {**_TPS_EDITION, "slug": "contoh-tps-pilkada-2024-jambi", "status": "terbit",
            "title": f"{SYNTHETIC_MARK} — Pemetaan TPS rawan Pilkada 2024, Provinsi Jambi", "window": [None, None]}
_TPS_COUNTS = {"belum": 8, "sebagian": 1, "lapor": 3, "tidak_ada": 0, "kembali": 0, "n": 12, "reported": 3}
_TPS_STATION = {"tps": 1, "label": "TPS 001", "version": 1, "answers": ["i02"], "notes": {"i02": "12 pemilih pindahan"},
                "photo": False, "saved_at": "2026-11-02T09:15:00+07:00"}
EXAMPLES = {
    "Problem": {"type": "about:blank", "title": "Not Found", "status": 404,
                "detail": "No such edition or region, or not visible to you."},
    "EditionList": {"editions": [_EDITION]},
    "Edition": _EDITION,
    "Results": {"edition": "pilkada-2024-jambi", "synthetic": False, "level": "kabupaten_kota",
                "results": [_PIL], "robustness": None,
                "table": {"columns": ["code", "name", "indeks", "rank", "category", "completeness", "note"],
                          "rows": [["15.03", "Kabupaten Sarolangun", 26.05, 1, "tinggi", None, "[C]"]]}},
    "RegionList": {"edition": "pilkada-2024-jambi", "level": "kabupaten_kota", "scope": "15",
                   "regions": [{"code": "15.01", "name": "Kabupaten Kerinci", "has_result": True}]},
    "Region": {"edition": "contoh-ikp-2024-jambi", "code": "15.01", "name": "Kabupaten Kerinci", "synthetic": True,
               "result": _COMPUTED,
               "top_drivers": [{"indicator": "i14", "score": 100.0, "to_index": 1.639344262295082}]},
    "Entry": {"edition": "contoh-latihan-2026", "code": "15.01", "status": "draft", "values": {"i01": 3.0},
              "notes": {"i01": "BA Panwascam"}, "comment": None},
    "EntryDocument": {"values": {"i01": 3}, "notes": {"i01": "BA Panwascam"}, "submit": False},
    "TpsEdition": _TPS_EDITION,
    "TpsEditionList": {"editions": [_TPS_EDITION]},
    "TpsProgress": {"edition": "contoh-tps-pengumpulan-2026",
                    "total": {**_TPS_COUNTS},
                    "kabupaten_kota": [{"code": "15.01", "name": "Kabupaten Kerinci", **_TPS_COUNTS}],
                    "kecamatan": [{"code": "15.01.01", "name": "Gunung Raya", **_TPS_COUNTS}]},
    "TpsStation": _TPS_STATION,
    "TpsDesa": {"edition": "contoh-tps-pengumpulan-2026", "desa": "15.01.01.2001", "name": "Selam Paung",
                "status": "sebagian", "comment": None,
                "checklist": [{"code": "v1", "name": "Penggunaan hak pilih", "indicators": [
                    {"code": "i02", "name": "Pemilih pindahan (DPTb)", "short": "Pemilih pindahan (DPTb)"}]}],
                "tps": [_TPS_STATION]},
    "TpsSave": {"save_id": "6f1c2b9e-4d1a-4c55-9a43-2b7f0e8d1c3a", "base_version": 0, "answers": ["i02"],
                "notes": {"i02": "12 pemilih pindahan"}},
    "TpsSaveAnswer": {"outcome": "applied", "save_id": "6f1c2b9e-4d1a-4c55-9a43-2b7f0e8d1c3a", "version": 1,
                      "current": _TPS_STATION},
    "TpsConflict": {"type": "about:blank", "title": "Conflict", "status": 409,
                    "detail": "TPS 001 was changed (version 2) after this save's base version 1: kept for the "
                              "supervisor, nothing overwritten.",
                    "outcome": "conflict", "save_id": "0b6e5f7a-3c2d-4e1f-8a9b-7c6d5e4f3a2b", "version": 2,
                    "current": {**_TPS_STATION, "version": 2}},
    "TpsResults": {**_TPS_PUB, "counts": {"code": "15", "name": "Jambi", "level": "provinsi", "n_tps": 5750,
                                          "reported": 5750, "rawan": 3320, "share": 0.5774}},
    "TpsCountTable": {**_TPS_PUB, "level": "kabupaten_kota", "rows": [
        {"level": "kabupaten_kota", "code": "15.01", "n_tps": 917, "n_tps_reported": 917, "tps_rawan": 424,
         "share_rawan": 0.4624, "i02": 199, "v1": 310}]},
    "TpsList": {**_TPS_PUB, "region": "15", "filter": "semua TPS rawan", "columns": ["No", "Kab/kota", "Kecamatan"],
                "rows": [["1", "Kerinci", "Gunung Raya"]]},
    "TpsPress": {"edition": "contoh-tps-pilkada-2024-jambi", "region": "15.01",
                 "markdown": f"> **{SYNTHETIC_MARK}**\n\n# DRAF SIARAN PERS — Bawaslu Kerinci"},
    "Health": {"status": "ok", "database": "ok", "cache": "ok", "rawan": "0.2.0"},
    "OpenAPI": {"openapi": "3.1.0", "info": {"title": "rawan API", "version": "0.2.0"}, "paths": {}},
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str, media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": _ref(name), "example": EXAMPLES[name]}}}


ERRORS = {
    "400": "The document or a value is not valid; nothing saved.",
    "401": "A write without a bearer token, or an invalid, expired or revoked token.",
    "403": "Your role or token does not allow this.",
    "404": "No such edition, region or path, or not visible to you.",
    "405": "Method not allowed (the Allow header lists the allowed ones).",
    "413": "The request body is too large.",
    "429": "Too many invalid tokens or failed logins from this address (Retry-After says how long).",
}


def _errors(*codes: str) -> dict:
    return {c: _json("Problem", ERRORS[c], PROBLEM) for c in codes}


SLUG = {"name": "slug", "in": "path", "required": True, "description": "the edition's slug",
        "schema": {"type": "string", "pattern": SLUG_PATTERN, "example": "pilkada-2024-jambi"}}
CODE = {"name": "code", "in": "path", "required": True, "description": "Kemendagri region code",
        "schema": {"type": "string", "pattern": CODE_PATTERN, "example": "15.03"}}
READ_ERRORS = ("401", "404", "429")
TPS_SLUG = {**SLUG, "description": "the TPS edition's slug",
            "schema": {"type": "string", "pattern": SLUG_PATTERN, "example": "contoh-tps-pengumpulan-2026"}}
TPS_PUB_SLUG = {**TPS_SLUG, "schema": {**TPS_SLUG["schema"], "example": "contoh-tps-pilkada-2024-jambi"}}
DESA = {"name": "code", "in": "path", "required": True, "description": "Kemendagri code of the desa/kelurahan",
        "schema": {"type": "string", "pattern": r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", "example": "15.01.01.2001"}}
TPS_NUMBER = {"name": "number", "in": "path", "required": True, "description": "the TPS's number in the desa",
              "schema": {"type": "integer", "minimum": 1, "maximum": 9999, "example": 1}}


def _get(summary: str, answer: str, description: str, params=(), errors=READ_ERRORS, tag="public") -> dict:
    return {"summary": summary, "tags": [tag], "parameters": list(params),
            "responses": {"200": _json(answer, description), **_errors(*errors)}}


def _write(summary: str) -> dict:
    return {"summary": summary, "tags": ["entry"], "security": [{"token": []}], "parameters": [SLUG, CODE],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": _ref("EntryDocument"), "example": EXAMPLES["EntryDocument"]}}},
            "responses": {"200": _json("Entry", "saved (and submitted when asked)"),
                          **_errors("400", "401", "403", "404", "413", "429")}}


def document() -> dict:
    """The OpenAPI 3.1 document of the API."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "rawan API", "version": __version__,
                 "description": "Election-vulnerability mapping editions and results. Anonymous: published "
                                "editions only, readable from any origin (CORS). Session or bearer token: what "
                                "the user's role may see. Writes: bearer token only. Published content carries "
                                "an ETag (send If-None-Match: 304). Every error is an RFC 9457 problem details "
                                "document (application/problem+json)."},
        "tags": [{"name": "public", "description": "read-only, anonymous for published editions"},
                 {"name": "entry", "description": "data entry of internal roles (no CORS)"},
                 {"name": "tps", "description": "TPS checklists: the PKD's saves and the supervisors' progress"}],
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
                       "schemas": SCHEMAS},
        "paths": {
            "/api/editions": {"get": _get("Editions visible to the caller", "EditionList", "the editions")},
            "/api/editions/{slug}": {"get": _get("One edition", "Edition", "the edition", [SLUG])},
            "/api/editions/{slug}/results": {"get": _get(
                "Scores, ranks, categories, dimension scores and stability", "Results",
                "the edition's results; rows by rank", [SLUG])},
            "/api/editions/{slug}/regions": {"get": _get("The edition's regions (code, name)", "RegionList",
                                                         "the edition's units", [SLUG])},
            "/api/editions/{slug}/regions/{code}": {"get": _get(
                "One region: result, top drivers, change against the previous edition", "Region",
                "the region", [SLUG, CODE])},
            "/api/editions/{slug}/entries/{code}": {
                "get": _get("A region's entered values (internal roles in scope)", "Entry", "the submission",
                            [SLUG, CODE], ("401", "403", "404", "429"), tag="entry"),
                "put": _write("Replace the whole submission: every indicator (null = no data) and all notes; "
                              "optionally submit (operator of the region, token with write scope)"),
                "patch": _write("Change only the named values and notes (a note set to null or \"\" is "
                                "removed); optionally submit"),
            },
            "/api/tps/editions": {"get": _get("TPS editions visible to the caller", "TpsEditionList",
                                              "the TPS editions", tag="tps")},
            "/api/tps/editions/{slug}/results": {"get": _get(
                "A TPS edition's results: counts in Bawaslu's format, or the published figures", "TpsResults",
                "the results", [TPS_PUB_SLUG], tag="tps")},
            "/api/tps/editions/{slug}/counts": {"get": {**_get(
                "The count table of every region of a level (within a region)", "TpsCountTable", "the table",
                [TPS_PUB_SLUG], tag="tps"), "parameters": [TPS_PUB_SLUG, {
                    "name": "level", "in": "query", "required": False, "description": "the level of the rows",
                    "schema": {"type": "string", "enum": ["provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"],
                               "example": "kabupaten_kota"}}, {
                    "name": "within", "in": "query", "required": False,
                    "description": "only the regions inside this one (Kemendagri code)",
                    "schema": {"type": "string", "example": "15.01"}}]}},
            "/api/tps/editions/{slug}/list": {"get": {**_get(
                "The TPS rawan list (logged-in users and tokens)", "TpsList", "the list", [TPS_PUB_SLUG],
                ("401", "403", "404", "429"), tag="tps"), "parameters": [TPS_PUB_SLUG, *[{
                    "name": n, "in": "query", "required": False, "description": d, "schema": {"type": "string", "example": e}}
                    for n, d, e in (("wilayah", "the region (Kemendagri code)", "15.01"),
                                    ("variabel", "only TPS with a yes in this variable", "v1"),
                                    ("indikator", "only TPS with a yes to this indicator", "i02"))]]}},
            "/api/tps/editions/{slug}/press-release": {"get": {**_get(
                "The press-release draft of a region (supervisors)", "TpsPress", "the draft", [TPS_PUB_SLUG],
                ("401", "403", "404", "429"), tag="tps"), "parameters": [TPS_PUB_SLUG, {
                    "name": "wilayah", "in": "query", "required": False,
                    "description": "the region (Kemendagri code)", "schema": {"type": "string", "example": "15.01"}}]}},
            "/api/tps/editions/{slug}/progress": {"get": _get(
                "Who has reported: desa per status, per kab/kota and kecamatan (supervisors: Panwascam, "
                "Bawaslu kab/kota, verifier, admin)", "TpsProgress", "the reporting progress in the caller's region",
                [TPS_SLUG], ("401", "403", "404", "429"), tag="tps")},
            "/api/tps/editions/{slug}/desa/{code}": {"get": _get(
                "One desa: its reporting status, the checklist's indicators and every TPS with its answers and "
                "version (the desa's PKD, its supervisors)", "TpsDesa", "the desa", [TPS_SLUG, DESA],
                ("401", "403", "404", "429"), tag="tps")},
            "/api/tps/editions/{slug}/desa/{code}/tps/{number}": {
                "get": _get("One TPS's checklist and its version", "TpsStation", "the TPS",
                            [TPS_SLUG, DESA, TPS_NUMBER], ("401", "403", "404", "429"), tag="tps"),
                "post": {
                    "summary": "Save one TPS's checklist (the desa's PKD, token with write scope, collection "
                               "open): applied once per save_id; a save made on an older version is a conflict "
                               "kept for the supervisor, never an overwrite",
                    "tags": ["tps"], "security": [{"token": []}], "parameters": [TPS_SLUG, DESA, TPS_NUMBER],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": _ref("TpsSave"), "example": EXAMPLES["TpsSave"]}}},
                    "responses": {"200": _json("TpsSaveAnswer", "applied (or the same save sent again)"),
                                  "409": _json("TpsConflict", "a conflict: nothing overwritten", PROBLEM),
                                  **_errors("400", "401", "403", "404", "413", "429")}},
            },
            "/api/health": {"get": {"summary": "Database and cache answer", "tags": ["public"], "parameters": [],
                                    "responses": {"200": _json("Health", "all parts answer"),
                                                  "503": _json("Health", "a part failed (named)")}}},
            "/api/openapi.json": {"get": _get("This document", "OpenAPI", "the OpenAPI document", errors=())},
        },
    }


# ---- the human-readable page -------------------------------------------------------------------
# Its texts (summaries, descriptions) are the document's English ones, translated for the page by
# gettext (the Indonesian is in locale/id); the JSON document itself stays in English.

def _resolve(schema: dict, doc: dict) -> tuple[str, dict]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return name, doc["components"]["schemas"][name]
    return "", schema


def _type_text(s: dict) -> str:
    if "$ref" in s:
        return s["$ref"].rsplit("/", 1)[1]
    if "oneOf" in s:
        return " | ".join(_type_text(x) for x in s["oneOf"])
    t = s.get("type", "any")
    t = " | ".join(t) if isinstance(t, list) else t
    if t == "array" and "items" in s:
        return f"array of {_type_text(s['items'])}"
    return t


def page_operations(doc: dict) -> list[dict]:
    """The document as rows for the page: one per operation, with parameters and answers."""
    out = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            answers = []
            for status, resp in op["responses"].items():
                media, content = next(iter(resp.get("content", {}).items()), (None, {}))
                name = _resolve(content.get("schema", {}), doc)[0] if content else ""
                answers.append({"status": status, "description": _(resp["description"]), "media": media,
                                "schema": name, "example": json.dumps(content.get("example"), indent=1,
                                                                      ensure_ascii=False) if content else ""})
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            out.append({"id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                        "method": method.upper(), "path": path, "summary": _(op["summary"]),
                        "auth": bool(op.get("security")), "tag": (op.get("tags") or [""])[0],
                        "params": [{"name": p["name"], "where": p["in"], "description": _(p.get("description", "")),
                                    "pattern": p["schema"].get("pattern", ""), "example": p["schema"].get("example", "")}
                                   for p in op.get("parameters", [])],
                        "body": _resolve(body["schema"], doc)[0] if body else "",
                        "body_example": json.dumps(body.get("example"), indent=1, ensure_ascii=False) if body else "",
                        "answers": answers})
    return out


def page_schemas(doc: dict) -> list[dict]:
    out = []
    for name, s in doc["components"]["schemas"].items():
        required = set(s.get("required", []))
        out.append({"name": name, "description": _(s["description"]) if s.get("description") else "",
                    "type": _type_text(s),
                    "fields": [{"name": k, "type": _type_text(v), "required": k in required,
                                "description": _(v["description"]) if v.get("description") else ""}
                               for k, v in s.get("properties", {}).items()]})
    return out


@require_safe
def openapi(request):
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})


@require_safe
def api_page(request):
    """The API described for people, generated from the same document (no script, no CDN)."""
    doc = document()
    return render(request, "rawan/api.html", {"title": "API", "doc": doc, "operations": page_operations(doc),
                                              "schemas": page_schemas(doc)})
