"""督学检查 for the demo province: the city (220100) inspected two of its counties this year, with items at every
stage — closed, waiting to be verified, overdue, open — so that both sides' pages and the 工作台 show something.

The same handful of rows at every scale, written through the services by the demo accounts themselves.
"""

from __future__ import annotations

from datetime import date, timedelta

from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.orgs.models import Organization
from xuexi.supervision import services
from xuexi.supervision.models import ChecklistItem, Inspection, RectificationEvent, RectificationItem

CITY, COUNTY = "220100", "220102"
# The smallest PDF a reader opens: what the demo county sends as its evidence.
EVIDENCE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _item(inspection: Inspection, org: Organization, area: str) -> int:
    return ChecklistItem.objects.get(target__inspection=inspection, target__org=org, area=area).pk


def generate_supervision(*, today: date) -> int:
    """The city's inspection of two counties; returns the number of rectification items."""
    city_admin, county_admin = User.objects.get(username="city_admin"), User.objects.get(username="county_admin")
    city, county = Scope.for_user(city_admin), Scope.for_user(county_admin)
    home = Organization.objects.get(code=COUNTY)
    parent = Organization.objects.get(code=CITY)
    other = (Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, is_active=True)
             .exclude(pk=home.pk).order_by("path").first())
    inspected = [home, *([other] if other else [])]
    plan = services.InspectionInput(
        title=f"{today.year} 年度学习型党组织建设督学检查", year=today.year, start_date=today - timedelta(days=40),
        end_date=today - timedelta(days=36), inspected_codes=[org.code for org in inspected],
        inspectors=[services.InspectorInput("王督学", "city_admin"), services.InspectorInput("刘督学")],
        description="对照《关于推进学习型党组织建设的实施意见》逐项检查，查阅台账、座谈了解、抽查学习记录。")
    inspection = services.inspection_plan(actor=city_admin, scope=city, inspector_code=CITY, data=plan)
    findings = [
        services.finding_record(actor=city_admin, scope=city, number=inspection.number,
                                item_id=_item(inspection, home, area), text=text)
        for area, text in (("central_group", "中心组集体学习会议记录不完整，两次学习缺少签到表。"),
                           ("self_study", "部分领导干部未制定个人自学计划。"),
                           ("research", "调查研究成果转化不够，调研报告未形成决策建议。"))]
    due = today + timedelta(days=20)
    items = [services.rectification_issue(actor=city_admin, scope=city, number=inspection.number,
                                          finding_id=finding.pk, requirement=requirement,
                                          responsible_code=COUNTY, due_date=due if n else today)
             for n, (finding, requirement) in enumerate(zip(findings, (
                 "补齐中心组学习签到表和会议记录，建立台账定期检查制度。",
                 "督促未制定个人自学计划的领导干部一周内补报。",
                 "对本年度调研报告逐篇梳理，形成决策建议报县委常委会。"), strict=True))]
    # The first one was due today; the demo moves its date back so that it shows overdue.
    overdue = today - timedelta(days=5)
    RectificationItem.objects.filter(pk=items[0].pk).update(due_date=overdue)
    RectificationEvent.objects.filter(item=items[0]).update(due_date=overdue)
    for item in items[1:]:
        services.rectification_answer(actor=county_admin, scope=county, number=inspection.number, seq=item.seq,
                                      measures="已逐项整改，附整改后的台账。",
                                      files=[services.EvidenceFile("整改台账.pdf", EVIDENCE)])
    services.rectification_verify(actor=city_admin, scope=city, number=inspection.number, seq=items[1].seq, close=True,
                                  comment="整改到位，同意销号。")
    if other is not None:
        finding = services.finding_record(actor=city_admin, scope=city, number=inspection.number,
                                          item_id=_item(inspection, other, "training"),
                                          text="党员教育培训覆盖面不足。")
        items.append(services.rectification_issue(actor=city_admin, scope=city, number=inspection.number,
                                                  finding_id=finding.pk, requirement="年内补训未参训党员。",
                                                  responsible_code=other.code, due_date=due))
    return len(items)
