from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "xuexi.norms"
    label = "norms"
    verbose_name = "制度要求"

    def ready(self) -> None:
        from xuexi.norms import standings
        from xuexi.orgs import dependents

        # The roster and the ledger sit below norms: they announce their changes, the standings follow.
        dependents.listen(standings.on_subjects_changed)
