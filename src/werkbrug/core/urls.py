from django.urls import path

from werkbrug.core import views

app_name = "core"

urlpatterns = [
    path("beheer/audit/wijzigingen/", views.audit_changes, name="audit_changes"),
    path("beheer/audit/inzage/", views.audit_access, name="audit_access"),
    path("beheer/audit/export/", views.audit_export, name="audit_export"),
    path("beheer/instellingen/", views.system_settings, name="settings"),
    path("achtergrondtaken/", views.job_list, name="jobs"),
    path("achtergrondtaken/<uuid:uuid>/", views.job_detail, name="job"),
    path("achtergrondtaken/<uuid:uuid>/download/", views.job_download, name="job_download"),
]
