from django.urls import path

from xuexi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp, name="otp"),
    path("audit/", views.audit_log, name="audit_log"),
]
