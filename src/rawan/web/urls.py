"""URLs.  Indonesian paths for pages (people read them), English for the API."""

from django.urls import include, path, re_path
from django.views.static import serve

from . import api, health, openapi
from .accounts import manage as accounts_manage, views as accounts
from .editions import create, manage, maps, report, settings_form, views as dash
from .entry import events, queue, upload, views as entry
from .mitigation import views as mitigation
from .warnings import organisations as warn_orgs, views as warnings
from .panduan import views as panduan
from .tasks import views as jobs
from .settings import BASE_DIR

CODE = r"(?P<code>\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)"

urlpatterns = [
    path("", dash.home, name="home"),
    path("bahasa/<str:lang>/", accounts.set_language, name="set_language"),
    path("masuk/", accounts.login_view, name="login"),
    path("keluar/", accounts.logout_view, name="logout"),
    path("akun/token/", accounts.tokens, name="tokens"),
    path("akun/token/<int:pk>/cabut/", accounts.token_revoke, name="token_revoke"),
    path("pengguna/", accounts_manage.users, name="users"),
    path("pengguna/wilayah/", accounts_manage.region_search, name="region_search"),
    path("pengguna/<str:username>/aksi/", accounts_manage.user_action, name="user_action"),
    path("bandingkan/", dash.compare, name="compare"),
    path("panduan/", panduan.index, name="panduan"),
    path("panduan/istilah/", panduan.glossary, name="panduan_glossary"),
    path("panduan/<slug:slug>/", panduan.chapter, name="panduan_chapter"),
    path("edisi/baru/", create.create, name="edition_new"),
    path("e/<slug:slug>/", dash.edition_map, name="edition"),
    path("e/<slug:slug>/peringkat/", dash.edition_ranking, name="ranking"),
    re_path(rf"^e/(?P<slug>[-\w]+)/wilayah/{CODE}/$", dash.region_page, name="region"),
    path("e/<slug:slug>/unduh/hasil.csv", dash.download_csv, name="download_csv"),
    path("e/<slug:slug>/unduh/hasil-excel.csv", dash.download_csv_excel, name="download_csv_excel"),
    path("e/<slug:slug>/unduh/sumber.txt", dash.download_sources, name="download_sources"),
    path("e/<slug:slug>/unduh/hasil.xlsx", dash.download_xlsx, name="download_xlsx"),
    path("e/<slug:slug>/unduh/hasil.geojson", dash.download_geojson, name="download_geojson"),
    path("e/<slug:slug>/unduh/bundel.zip", dash.download_bundle, name="download_bundle"),
    path("e/<slug:slug>/unduh/peta.<str:fmt>", maps.map_file, name="download_map"),
    path("e/<slug:slug>/sematkan/", maps.embed, name="embed"),
    path("e/<slug:slug>/unduh/laporan.<str:fmt>", report.report, name="download_report"),
    path("e/<slug:slug>/unduh/infografik.png", report.infographic, name="download_infographic"),
    path("e/<slug:slug>/entri/", queue.entry_list, name="entry_list"),
    path("e/<slug:slug>/entri/verifikasi/", queue.verify_bulk, name="verify_bulk"),
    path("e/<slug:slug>/entri/templat.xlsx", upload.template, name="entry_template"),
    path("e/<slug:slug>/entri/unggah/", upload.upload, name="entry_upload"),
    re_path(rf"^e/(?P<slug>[-\w]+)/entri/{CODE}/$", entry.entry_form, name="entry_form"),
    re_path(rf"^e/(?P<slug>[-\w]+)/entri/{CODE}/verifikasi/$", entry.verify, name="verify"),
    re_path(rf"^e/(?P<slug>[-\w]+)/entri/{CODE}/kejadian/$", events.add_event, name="add_event"),
    re_path(rf"^e/(?P<slug>[-\w]+)/entri/{CODE}/kejadian/terapkan/$", events.apply_events, name="apply_events"),
    re_path(rf"^e/(?P<slug>[-\w]+)/entri/{CODE}/kejadian/(?P<pk>\d+)/hapus/$", events.delete_event, name="delete_event"),
    re_path(rf"^e/(?P<slug>[-\w]+)/entri/{CODE}/audit/$", entry.region_audit, name="region_audit"),
    path("e/<slug:slug>/audit.csv", entry.edition_audit_csv, name="edition_audit_csv"),
    path("e/<slug:slug>/kelola/", manage.manage, name="manage"),
    path("e/<slug:slug>/kelola/aksi/", manage.manage_action, name="manage_action"),
    path("e/<slug:slug>/kelola/konfirmasi/<str:step>/", manage.confirm, name="manage_confirm"),
    path("e/<slug:slug>/kelola/pengaturan/", settings_form.edition_settings, name="edition_settings"),
    # early warning (docs/early-warning.md) and the mitigation register (docs/mitigation.md)
    path("kotak-masuk/", warnings.inbox, name="inbox"),
    path("organisasi/", warn_orgs.organisations, name="organisations"),
    path("e/<slug:slug>/terkini/", warnings.live_view, name="live_view"),
    re_path(rf"^e/(?P<slug>[-\w]+)/terkini/{CODE}/$", warnings.live_region, name="live_region"),
    path("e/<slug:slug>/kejadian-terkini/", warnings.live_events, name="live_events"),
    path("e/<slug:slug>/kejadian-terkini/tambah/", warnings.add_live_event, name="add_live_event"),
    path("e/<slug:slug>/kejadian-terkini/impor/", warnings.import_live_events, name="import_live_events"),
    path("e/<slug:slug>/kejadian-terkini/<int:pk>/periksa/", warnings.review_live_event, name="review_live_event"),
    path("e/<slug:slug>/kejadian-terkini/<int:pk>/bukti/", warnings.event_evidence, name="event_evidence"),
    path("e/<slug:slug>/peringatan/", warnings.alerts, name="alerts"),
    path("e/<slug:slug>/peringatan/<int:pk>/", warnings.alert, name="alert"),
    path("e/<slug:slug>/aturan-peringatan/", warnings.rules, name="rules"),
    path("e/<slug:slug>/mitigasi/", mitigation.register, name="register"),
    path("e/<slug:slug>/mitigasi/tindakan/baru/", mitigation.new_action, name="new_action"),
    path("e/<slug:slug>/mitigasi/tindakan/<int:pk>/", mitigation.update_action, name="update_action"),
    path("e/<slug:slug>/mitigasi/tindakan/<int:pk>/bukti/", mitigation.action_evidence, name="action_evidence"),
    path("e/<slug:slug>/mitigasi/rekomendasi/baru/", mitigation.new_recommendation, name="new_recommendation"),
    path("e/<slug:slug>/mitigasi/rekomendasi/massal/", mitigation.bulk_recommendations, name="bulk_recommendations"),
    path("e/<slug:slug>/mitigasi/rekomendasi/<int:pk>/", mitigation.recommendation, name="recommendation"),
    path("e/<slug:slug>/mitigasi/rekomendasi/<int:pk>/bukti/<int:fpk>/", mitigation.followup_evidence,
         name="followup_evidence"),
    path("e/<slug:slug>/pasca-pemungutan/", mitigation.after_vote, name="after_vote"),
    path("tugas/", jobs.jobs, name="jobs"),
    path("tugas/<uuid:job_id>/", jobs.job_page, name="job"),
    path("tugas/<uuid:job_id>/ulang/", jobs.job_retry, name="job_retry"),
    path("api/health", health.health, name="health"),
    path("api/openapi.json", openapi.openapi, name="api_openapi"),
    path("api/", openapi.api_page, name="api_docs"),
    path("api/editions", api.editions, name="api_editions"),
    path("api/editions/<slug:slug>", api.edition, name="api_edition"),
    path("api/editions/<slug:slug>/results", api.results, name="api_results"),
    path("api/editions/<slug:slug>/regions", api.regions, name="api_regions"),
    re_path(rf"^api/editions/(?P<slug>[-\w]+)/regions/{CODE}$", api.region, name="api_region"),
    re_path(rf"^api/editions/(?P<slug>[-\w]+)/entries/{CODE}$", api.entry, name="api_entry"),
    path("", include("rawan.web.tps.urls")),  # TPS editions, the PKD's checklists, supervision (tps/urls.py)
    # the package's own CSS/JS (a few KB): served by Django so `rawan serve` needs nothing else
    re_path(r"^static/(?P<path>rawan/(?:panduan/)?[\w.-]+)$", serve, {"document_root": BASE_DIR / "static"}),
]
