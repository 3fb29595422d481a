from django.urls import path

from xuexi.web import views

app_name = "web"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/children/", views.org_children, name="org_children"),
    path("people/", views.person_search, name="person_search"),
    path("people/<str:number>/", views.person_detail, name="person_detail"),
    path("people/<str:number>/reveal/", views.person_reveal, name="person_reveal"),
]
