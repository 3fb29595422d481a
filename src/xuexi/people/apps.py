from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "xuexi.people"
    label = "people"
    verbose_name = "党员与干部"
