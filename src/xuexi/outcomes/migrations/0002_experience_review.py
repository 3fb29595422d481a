"""典型经验: the review by the level above (its history), the library item it became, and 撤回 of an outcome."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_item_removal"),
        ("orgs", "0002_organization_depth_index"),
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="library_item",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="experiences", to="library.libraryitem", verbose_name="入库资料"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="撤回时间"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="withdrawn_by",
            field=models.CharField(blank=True, max_length=150, verbose_name="撤回人"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="withdrawal_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="撤回原因"),
        ),
        migrations.CreateModel(
            name="ExperienceEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(choices=[("submit", "报送上级"), ("approve", "审核通过"), ("publish", "入库"),
                                                     ("return", "退回修改"), ("withdraw", "撤回")],
                                            max_length=12, verbose_name="事项")),
                ("reason", models.TextField(blank=True, verbose_name="意见或原因")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                ("by", models.CharField(blank=True, max_length=150, verbose_name="办理人")),
                ("org", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                          to="orgs.organization", verbose_name="办理组织")),
                ("outcome", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="experience_events", to="outcomes.outcome")),
            ],
            options={
                "verbose_name": "典型经验审核记录",
                "verbose_name_plural": "典型经验审核记录",
                "indexes": [models.Index(fields=["outcome", "at"], name="experienceevent_outcome_at")],
            },
        ),
    ]
