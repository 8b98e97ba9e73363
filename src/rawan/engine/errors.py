"""Problems and errors that name the place, in Indonesian (default) or English.

The engine never prints: it raises :class:`RawanError` holding every
:class:`Problem` it found.  A problem is a message key plus parameters, so the
CLI and the web app render it in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# One place for every message a user can see from the engine.
# {placeholders} are filled from Problem.params.
MESSAGES: dict[str, dict[str, str]] = {
    # --- methodology file ---
    "spec.file_missing": {
        "id": "Berkas metodologi {file} tidak ditemukan.",
        "en": "Methodology file {file} not found.",
    },
    "spec.unknown_model": {
        "id": "Model '{model}' tidak dikenal: bukan berkas dan bukan model bawaan ({known}).",
        "en": "Unknown model '{model}': neither a file nor a shipped model ({known}).",
    },
    "spec.yaml": {
        "id": "Berkas {file} bukan YAML yang sah: {detail}",
        "en": "File {file} is not valid YAML: {detail}",
    },
    "spec.schema": {
        "id": "Berkas {file}, bagian {where}: {detail}",
        "en": "File {file}, at {where}: {detail}",
    },
    "spec.duplicate_code": {
        "id": "Kode '{code}' muncul lebih dari sekali dalam hierarki ({count} kali).",
        "en": "Code '{code}' appears more than once in the hierarchy ({count} times).",
    },
    "spec.unknown_parent": {
        "id": "Simpul '{code}' menunjuk induk '{parent}' yang tidak ada dalam hierarki.",
        "en": "Node '{code}' names parent '{parent}', which is not in the hierarchy.",
    },
    "spec.cycle": {
        "id": "Hierarki berputar (siklus): {path}.",
        "en": "The hierarchy has a cycle: {path}.",
    },
    "spec.no_root": {
        "id": "Hierarki tidak punya akar (simpul tanpa induk).",
        "en": "The hierarchy has no root (a node without a parent).",
    },
    "spec.many_roots": {
        "id": "Hierarki harus punya satu akar (indeks), ditemukan {count}: {codes}.",
        "en": "The hierarchy must have one root (the index); found {count}: {codes}.",
    },
    "spec.bad_denominator": {
        "id": "Kolom penyebut '{column}' tidak boleh sama dengan kode dalam hierarki.",
        "en": "The denominator column '{column}' must not be a code of the hierarchy.",
    },
    "spec.aggregate_without_children": {
        "id": "Agregat '{code}' tidak punya anak.",
        "en": "Aggregate '{code}' has no children.",
    },
    "spec.indicator_with_children": {
        "id": "Indikator '{code}' punya anak ({children}); hanya agregat yang boleh punya anak.",
        "en": "Indicator '{code}' has children ({children}); only aggregates may have children.",
    },
    "spec.weight_not_positive": {
        "id": "Bobot simpul '{code}' harus lebih dari 0, tertulis {weight}.",
        "en": "The weight of node '{code}' must be greater than 0; it is {weight}.",
    },
    "spec.bad_direction": {
        "id": "Arah simpul '{code}' harus 1 atau -1, tertulis {direction}.",
        "en": "The direction of node '{code}' must be 1 or -1; it is {direction}.",
    },
    "spec.unknown_method": {
        "id": "Metode {step} '{method}' di {where} tidak dikenal. Yang tersedia: {known}.",
        "en": "Unknown {step} method '{method}' at {where}. Available: {known}.",
    },
    "spec.bad_method_params": {
        "id": "Parameter metode {step} '{method}' di {where} salah: {detail}",
        "en": "Wrong parameters for {step} method '{method}' at {where}: {detail}",
    },
    "spec.misplaced_setting": {
        "id": "{where}: pengaturan '{setting}' tidak berlaku untuk {type} dan tidak akan dipakai.",
        "en": "{where}: the setting '{setting}' does not apply to an {type} and would never be used.",
    },
    "spec.unknown_assumption": {
        "id": "{where} merujuk asumsi '{code}' yang tidak didefinisikan di bagian assumptions.",
        "en": "{where} refers to assumption '{code}', which is not defined under assumptions.",
    },
    "spec.unknown_source": {
        "id": "{where} merujuk sumber '{code}' yang tidak didefinisikan di bagian sources.",
        "en": "{where} refers to source '{code}', which is not defined under sources.",
    },
    "spec.unknown_node": {
        "id": "{where} merujuk simpul '{code}' yang tidak ada dalam hierarki.",
        "en": "{where} refers to node '{code}', which is not in the hierarchy.",
    },
    "spec.bad_level": {
        "id": "Simpul '{code}': Level tertulis {given}, tetapi dari hierarki seharusnya {expected}.",
        "en": "Node '{code}': Level is {given}, but the hierarchy makes it {expected}.",
    },
    "spec.bad_category": {
        "id": "Aturan kategori #{index}: {detail}",
        "en": "Category rule #{index}: {detail}",
    },
    "spec.bad_goalposts": {
        "id": "Simpul '{code}': goalposts harus dua angka [bawah, atas] dengan bawah < atas, tertulis {goalposts}.",
        "en": "Node '{code}': goalposts must be two numbers [low, high] with low < high; they are {goalposts}.",
    },
    "spec.table_columns": {
        "id": "Tabel hierarki {file} tidak punya kolom wajib: {missing}.",
        "en": "Hierarchy table {file} lacks required columns: {missing}.",
    },
    "spec.table_value": {
        "id": "Tabel hierarki {file}, baris {row}, kolom {column}: nilai '{value}' tidak sah ({expected}).",
        "en": "Hierarchy table {file}, row {row}, column {column}: value '{value}' is not valid ({expected}).",
    },
    # --- data ---
    "data.file_missing": {
        "id": "Berkas data {file} tidak ditemukan.",
        "en": "Data file {file} not found.",
    },
    "data.unreadable": {
        "id": "Berkas data {file} tidak dapat dibaca: {detail}",
        "en": "Data file {file} cannot be read: {detail}",
    },
    "data.format": {
        "id": "Format berkas {file} tidak didukung (gunakan .csv, .xlsx atau .parquet).",
        "en": "Unsupported file format {file} (use .csv, .xlsx or .parquet).",
    },
    "data.no_code_column": {
        "id": "Berkas data {file} tidak punya kolom kode wilayah ('code', 'kode' atau 'uCode').",
        "en": "Data file {file} has no region-code column ('code', 'kode' or 'uCode').",
    },
    "data.empty_code": {
        "id": "Berkas {file}, baris {row}, kolom {column}: kode wilayah kosong.",
        "en": "File {file}, row {row}, column {column}: the region code is empty.",
    },
    "data.duplicate_region": {
        "id": "Berkas {file}: kode wilayah '{code}' muncul lebih dari sekali (baris {rows}).",
        "en": "File {file}: region code '{code}' appears more than once (rows {rows}).",
    },
    "data.not_a_number": {
        "id": "Berkas {file}, baris {row}, kolom {column} ({code}): nilai '{value}' bukan angka.",
        "en": "File {file}, row {row}, column {column} ({code}): value '{value}' is not a number.",
    },
    "data.ambiguous_number": {
        "id": "Berkas {file}, baris {row}, kolom {column} ({code}): nilai '{value}' bisa berarti dua angka "
              "(ribuan atau desimal). Tulis tanpa pemisah ribuan (1234 atau 1,234), atau nyatakan lokal "
              "berkas: --locale id (1.234 = seribu dua ratus tiga puluh empat) atau --locale en (1.234 = 1,234).",
        "en": "File {file}, row {row}, column {column} ({code}): value '{value}' can mean two numbers "
              "(thousands or decimals). Write it without a thousands separator (1234 or 1.234), or declare "
              "the file's locale: --locale id (1.234 = one thousand two hundred thirty-four) or --locale en (1.234 = 1.234).",
    },
    "data.bad_locale": {
        "id": "Lokal angka '{locale}' tidak dikenal; gunakan salah satu dari: {known}.",
        "en": "Unknown number locale '{locale}'; use one of: {known}.",
    },
    "data.locale_conflict": {
        "id": "Berkas {file} menyatakan lokal angka '{declared}', tetapi diminta '{given}'; hapus --locale atau samakan.",
        "en": "File {file} declares number locale '{declared}' but '{given}' was given; drop --locale or make them agree.",
    },
    "data.indicator_missing": {
        "id": "Indikator '{code}' dari metodologi tidak ada sebagai kolom dalam data{file_part}.",
        "en": "Indicator '{code}' of the methodology is not a column of the data{file_part}.",
    },
    "data.not_finite": {
        "id": "Wilayah '{region}', indikator '{code}': nilai {value} bukan angka terhingga.",
        "en": "Region '{region}', indicator '{code}': value {value} is not a finite number.",
    },
    "data.out_of_range": {
        "id": "Wilayah '{region}', indikator '{code}' ({kind}): nilai {value} di luar rentang {expected}.",
        "en": "Region '{region}', indicator '{code}' ({kind}): value {value} is outside {expected}.",
    },
    "data.no_regions": {
        "id": "Data tidak berisi wilayah satu pun.",
        "en": "The data holds no regions.",
    },
    "data.group_missing": {
        "id": "Imputasi rata-rata kelompok untuk '{code}' memerlukan atribut wilayah '{group}', yang tidak ada dalam data.",
        "en": "Group-mean imputation for '{code}' needs the region attribute '{group}', which is not in the data.",
    },
    "data.unknown_region": {
        "id": "Wilayah '{region}' tidak ada dalam hasil.",
        "en": "Region '{region}' is not in the result.",
    },
    # --- computation ---
    "compute.negative_for_mean": {
        "id": "Agregat '{code}' memakai rata-rata {method}, tetapi wilayah '{region}' punya nilai anak negatif ({value}). Rata-rata {method} hanya untuk nilai >= 0; pakai normalisasi ke rentang positif.",
        "en": "Aggregate '{code}' uses the {method} mean, but region '{region}' has a negative child value ({value}). The {method} mean needs values >= 0; normalise to a positive range.",
    },
    "compute.method_failed": {
        "id": "Metode {step} '{method}' untuk '{code}' tidak dapat dihitung: {detail}.",
        "en": "The {step} method '{method}' for '{code}' cannot be computed: {detail}.",
    },
    "compute.bad_region_level": {
        "id": "Tingkat wilayah '{level}' tidak dikenal; gunakan salah satu dari: {known}.",
        "en": "Unknown region level '{level}'; use one of: {known}.",
    },
    "compute.no_category_scheme": {
        "id": "Metodologi tidak punya aturan kategori untuk tingkat wilayah '{level}'.",
        "en": "The methodology has no category rule for region level '{level}'.",
    },
    "output.format": {
        "id": "Format keluaran {file} tidak didukung (gunakan .csv, .xlsx atau .json).",
        "en": "Unsupported output format {file} (use .csv, .xlsx or .json).",
    },
}


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add a module's messages (``{key: {"id": ..., "en": ...}}``) to the one table.

    Other packages (regions, intake, reports, ...) keep their messages beside their code and
    register them at import; a key registered twice with different text is a bug.
    """
    for key, texts in messages.items():
        if "id" not in texts or "en" not in texts:
            raise ValueError(f"message {key!r} needs both 'id' and 'en' texts")
        if key in MESSAGES and MESSAGES[key] != texts:
            raise ValueError(f"message {key!r} registered twice with different texts")
        MESSAGES[key] = texts


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with the place it is wrong at."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "error" or "warning"

    def render(self, lang: str = "id") -> str:
        templates = MESSAGES[self.key]
        template = templates.get(lang) or templates["id"]
        return template.format(**self.params)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.render("en")


class RawanError(Exception):
    """Raised with every problem found, never just the first one."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(p.render("en") for p in self.problems))

    def render(self, lang: str = "id") -> list[str]:
        return [p.render(lang) for p in self.problems]

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.problems]


class SpecError(RawanError):
    """The methodology file is wrong."""


class DataError(RawanError):
    """The indicator data is wrong."""


class ComputeError(RawanError):
    """The data and the methodology cannot be computed together."""
