"""TPS pages and API (included at the root by web/urls.py)."""

from django.urls import path, re_path

from . import api, book, create, onetime, outputs, results, supervise, users, views

DESA = r"(?P<code>\d{2}\.\d{2}\.\d{2}\.\d{4})"
SLUG = r"(?P<slug>[-\w]+)"

urlpatterns = [
    path("tps/", results.tps_home, name="tps_home"),
    path("tps/sw.js", views.service_worker, name="tps_sw"),
    path("tps/baru/", create.new_tps_edition, name="tps_new"),
    path("tps/<slug:slug>/", results.edition_page, name="tps_edition"),
    path("tps/<slug:slug>/unduh/rekap.csv", results.counts_csv, name="tps_counts_csv"),
    path("tps/<slug:slug>/unduh/daftar.<str:fmt>", outputs.police_list, name="tps_list"),
    path("tps/<slug:slug>/peta/", outputs.map_page, name="tps_map"),
    path("tps/<slug:slug>/peta.svg", outputs.map_svg, name="tps_map_svg"),
    path("tps/<slug:slug>/siaran-pers/", outputs.press_release, name="tps_press"),
    path("tps/<slug:slug>/pengawasan/", supervise.supervision, name="tps_supervision"),
    path("tps/<slug:slug>/pengawasan/jendela/", supervise.window, name="tps_window"),
    path("tps/<slug:slug>/pengawasan/buku/", book.link_book, name="tps_book"),
    path("tps/<slug:slug>/unduh/hasil-tps.yaml", book.results_file, name="tps_results_file"),
    path("tps/<slug:slug>/konflik/<int:pk>/", supervise.resolve, name="tps_resolve"),
    re_path(rf"^tps/{SLUG}/desa/{DESA}/$", views.desa_page, name="tps_desa"),
    re_path(rf"^tps/{SLUG}/desa/{DESA}/tidak-ada/$", views.desa_none, name="tps_none"),
    re_path(rf"^tps/{SLUG}/desa/{DESA}/kembalikan/$", supervise.return_report, name="tps_return"),
    re_path(rf"^tps/{SLUG}/desa/{DESA}/tps/(?P<number>\d{{1,4}})/$", views.checklist, name="tps_checklist"),
    path("pengguna/massal/", users.bulk_users, name="tps_users_bulk"),
    path("akun/kata-sandi-baru/", onetime.set_own_password, name="set_own_password"),
    path("api/tps/editions", api.editions, name="api_tps_editions"),
    path("api/tps/editions/<slug:slug>/results", api.results, name="api_tps_results"),
    path("api/tps/editions/<slug:slug>/progress", api.progress, name="api_tps_progress"),
    path("api/tps/editions/<slug:slug>/counts", api.counts, name="api_tps_counts"),
    path("api/tps/editions/<slug:slug>/list", api.police_list, name="api_tps_list"),
    path("api/tps/editions/<slug:slug>/press-release", api.press, name="api_tps_press"),
    re_path(rf"^api/tps/editions/{SLUG}/desa/{DESA}$", api.desa, name="api_tps_desa"),
    re_path(rf"^api/tps/editions/{SLUG}/desa/{DESA}/tps/(?P<number>\d{{1,4}})$", api.checklist, name="api_tps_checklist"),
]
