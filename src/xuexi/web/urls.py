from django.urls import path

from xuexi.web import administration, editing, exchange, learning, views

app_name = "web"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/children/", views.org_children, name="org_children"),
    path("orgs/<str:code>/new-child/", editing.org_create, name="org_create"),
    path("orgs/<str:code>/edit/", editing.org_edit, name="org_edit"),
    path("orgs/<str:code>/move/", editing.org_move, name="org_move"),
    path("orgs/<str:code>/deactivate/", editing.org_deactivate, name="org_deactivate"),
    path("orgs/<str:code>/new-person/", editing.person_create, name="person_create"),
    path("people/<str:number>/edit/", editing.person_edit, name="person_edit"),
    path("people/<str:number>/transfer/", editing.person_transfer, name="person_transfer"),
    path("orgs/<str:code>/activities/", learning.org_activities, name="org_activities"),
    path("orgs/<str:code>/activities/new/", learning.activity_create, name="activity_create"),
    path("people/<str:number>/archive/", learning.person_archive, name="person_archive"),
    path("people/<str:number>/claims/", learning.person_claims, name="person_claims"),
    path("people/<str:number>/claims/decide/", learning.claim_decide, name="claim_decide"),
    path("claims/", learning.claim_queue, name="claim_queue"),
    path("exchange/", exchange.exchange_home, name="exchange_home"),
    path("exchange/preview/", exchange.exchange_preview, name="exchange_preview"),
    path("exchange/confirm/", exchange.exchange_confirm, name="exchange_confirm"),
    path("exchange/template/<str:table>/", exchange.exchange_template, name="exchange_template"),
    path("exchange/export/<str:table>/", exchange.exchange_export, name="exchange_export"),
    path("people/", views.person_search, name="person_search"),
    path("people/<str:number>/", views.person_detail, name="person_detail"),
    path("people/<str:number>/reveal/", views.person_reveal, name="person_reveal"),
    path("admin/accounts/", administration.account_admin, name="account_admin"),
    path("admin/accounts/create/", administration.account_create, name="account_create"),
    path("admin/accounts/<str:username>/active/", administration.account_set_active, name="account_set_active"),
    path("admin/accounts/<str:username>/unlock/", administration.account_unlock, name="account_unlock"),
    path("admin/grants/add/", administration.grant_add, name="grant_add"),
    path("admin/grants/<int:grant_id>/remove/", administration.grant_remove, name="grant_remove"),
]
