"""Every new database holds the six norms of the seed document (spec/norms.md)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from xuexi.norms.seed import SEED_EFFECTIVE_FROM, SEED_RULES

    rule_model = apps.get_model("norms", "Rule")
    version_model = apps.get_model("norms", "RuleVersion")
    for spec in SEED_RULES:
        fields = dict(spec)
        rule, _ = rule_model.objects.get_or_create(code=fields.pop("code"))
        if not version_model.objects.filter(rule=rule).exists():
            version_model.objects.create(rule=rule, effective_from=SEED_EFFECTIVE_FROM, changed_by="系统", **fields)


class Migration(migrations.Migration):
    dependencies = [("norms", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
