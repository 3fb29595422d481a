from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xuexi.orgs"
    label = "orgs"
    verbose_name = "组织体系"
