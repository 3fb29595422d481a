from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "xuexi.library"
    label = "library"
    verbose_name = "学习资料库"
