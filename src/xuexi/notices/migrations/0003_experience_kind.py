from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0002_more_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('central_group', '中心组学习'), ('behind_pace', '进度落后'), ('annual_report', '年度报送'), ('report_review', '报告审核'), ('inspection', '督学检查'), ('rectification', '整改事项'), ('experience', '典型经验')], max_length=16, verbose_name='类别'),
        ),
    ]
