from django.urls import path

from werkbrug.regions import views

app_name = "regions"

urlpatterns = [
    path("team/", views.team_overview, name="team"),
    path("beheer/organisatie/", views.manage_index, name="manage_index"),
    path("beheer/organisatie/<slug:kind>/", views.manage_list, name="manage"),
    path("beheer/organisatie/<slug:kind>/nieuw/", views.manage_create, name="manage_create"),
    path("beheer/organisatie/<slug:kind>/<uuid:uuid>/", views.manage_edit, name="manage_edit"),
]
