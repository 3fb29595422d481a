from django.contrib import admin
from django.urls import include, path

from xuexi.api import api

admin.site.site_header = "xuexi 系统管理"
admin.site.site_title = "xuexi 系统管理"

urlpatterns = [
    path("", include("xuexi.web.urls")),
    path("accounts/", include("xuexi.accounts.urls")),
    path("api/", api.urls),
    path("system-admin/", admin.site.urls),
]

handler404 = "xuexi.web.views.not_found"
handler403 = "xuexi.web.views.forbidden"
handler500 = "xuexi.web.views.server_error"
