"""考学 for the demo province: a bank of thirty questions on the seed document's six content areas, a paper of
ten of them, and one exam open to every member, so a demo member can take it. Through the services, as the
province; thirty rows at every scale. Questions written for the demo from the themes of the seed document.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xuexi.accounts.scope import whole_tree_scope
from xuexi.exams import papers, services
from xuexi.learning.models import ContentArea
from xuexi.orgs.models import Organization

_A = ContentArea
# (area, kind, stem, options, answer, difficulty)
QUESTIONS: list[tuple[str, str, str, tuple[str, ...], str, str]] = [
    (_A.THEORY_SYSTEM, "单选", "建设学习型党组织，首要任务是什么？",
     ("用中国特色社会主义理论体系武装头脑", "开展文体活动", "增加会议次数", "编写工作简报"), "A", "易"),
    (_A.THEORY_SYSTEM, "判断", "党员干部学习理论要联系实际，做到学以致用。", (), "对", "易"),
    (_A.THEORY_SYSTEM, "多选", "理论学习要做到哪些？",
     ("原原本本学", "联系实际学", "只读标题", "学懂弄通做实"), "ABD", "中"),
    (_A.THEORY_SYSTEM, "填空", "党委（党组）理论学习中心组简称____。", (), "中心组", "易"),
    (_A.THEORY_SYSTEM, "单选", "中心组集体学习由谁主持？",
     ("党委（党组）书记", "办公室工作人员", "任意一名党员"), "A", "中"),
    (_A.SCIENTIFIC_DEVELOPMENT, "单选", "科学发展观的第一要义是？",
     ("发展", "以人为本", "统筹兼顾", "全面协调"), "A", "易"),
    (_A.SCIENTIFIC_DEVELOPMENT, "单选", "科学发展观的核心是？", ("以人为本", "发展", "可持续", "改革"), "A", "易"),
    (_A.SCIENTIFIC_DEVELOPMENT, "多选", "科学发展观的基本要求是？", ("全面", "协调", "可持续", "封闭"), "ABC", "中"),
    (_A.SCIENTIFIC_DEVELOPMENT, "填空", "科学发展观的根本方法是____。", (), "统筹兼顾", "中"),
    (_A.SCIENTIFIC_DEVELOPMENT, "判断", "科学发展观只适用于经济工作。", (), "错", "难"),
    (_A.CORE_VALUES, "多选", "社会主义核心价值体系包括哪些内容？",
     ("马克思主义指导思想", "中国特色社会主义共同理想", "民族精神和时代精神", "社会主义荣辱观"), "ABCD", "难"),
    (_A.CORE_VALUES, "单选", "民族精神的核心是？", ("爱国主义", "改革创新", "艰苦奋斗", "团结互助"), "A", "中"),
    (_A.CORE_VALUES, "单选", "时代精神的核心是？", ("改革创新", "爱国主义", "勤俭节约", "诚实守信"), "A", "中"),
    (_A.CORE_VALUES, "判断", "党员干部要带头践行社会主义核心价值观。", (), "对", "易"),
    (_A.CORE_VALUES, "填空", "社会主义核心价值体系的灵魂是____指导思想。", (), "马克思主义", "难"),
    (_A.PROFESSIONAL_KNOWLEDGE, "单选", "“三会一课”中的“一课”指的是？",
     ("党课", "业务课", "文化课", "体育课"), "A", "易"),
    (_A.PROFESSIONAL_KNOWLEDGE, "多选", "“三会一课”中的“三会”包括？",
     ("支部党员大会", "支部委员会", "党小组会", "表彰大会"),
     "ABC", "中"),
    (_A.PROFESSIONAL_KNOWLEDGE, "判断", "主题党日应当主题鲜明、注重实效。", (), "对", "易"),
    (_A.PROFESSIONAL_KNOWLEDGE, "填空", "党员领导干部每年至少为所在支部讲____次党课。", (), "1|一", "中"),
    (_A.PROFESSIONAL_KNOWLEDGE, "单选", "依法行政的基本要求不包括？",
     ("合法行政", "合理行政", "随意行政", "程序正当"), "C", "难"),
    (_A.DECISIONS, "单选", "乡村振兴战略的总要求中，排在首位的是？",
     ("产业兴旺", "生态宜居", "乡风文明", "生活富裕"), "A", "中"),
    (_A.DECISIONS, "多选", "乡村振兴战略的总要求包括？", ("产业兴旺", "生态宜居", "治理有效", "大拆大建"), "ABC", "中"),
    (_A.DECISIONS, "判断", "领导干部开展调查研究，应当深入基层、形成调研报告。", (), "对", "易"),
    (_A.DECISIONS, "填空", "学习型党组织建设要把学习成果转化为推动____发展的思路和举措。", (), "高质量", "中"),
    (_A.DECISIONS, "单选", "建立健全党员干部学习制度的目的是？",
     ("推进学习型党组织建设", "增加文件数量", "减少工作任务"), "A", "易"),
    (_A.JILIN_EXPERIENCE, "填空", "吉林省的省会是____。", (), "长春|长春市", "易"),
    (_A.JILIN_EXPERIENCE, "单选", "吉林振兴发展的主线是？", ("振兴发展", "单纯扩大投资", "只抓城市建设"), "A", "易"),
    (_A.JILIN_EXPERIENCE, "多选", "吉林振兴发展实践包括？",
     ("老工业基地调整改造", "发展现代农业", "黑土地保护", "放弃工业"),
     "ABC", "中"),
    (_A.JILIN_EXPERIENCE, "判断", "黑土地保护与粮食生产无关。", (), "错", "中"),
    (_A.JILIN_EXPERIENCE, "单选", "以下哪家是吉林的骨干企业？", ("一汽", "首钢", "宝钢", "鞍钢"), "A", "难"),
]
PAPER_SIZE, POINTS, PASS_MARK = 10, 10, 60
EXAM_CODE = "DEMO-EXAM-1"


def generate_exams(*, today: dt.date) -> dict[str, int]:
    """The bank, a paper of one question of each area and kind in turn, and an exam open from yesterday for a month."""
    province = Organization.objects.filter(depth=1).order_by("path").first()
    if province is None:
        return {"questions": 0}
    scope = whole_tree_scope()
    for number, (area, kind, stem, options, answer, difficulty) in enumerate(QUESTIONS, start=1):
        services.question_create(actor=None, scope=scope, code=f"DEMO-Q{number:03d}", publisher_code=province.code,
                                 data=services.QuestionInput(area=area, kind=kind, stem=stem, answer=answer,
                                                             difficulty=difficulty, options=options))
    chosen = [f"DEMO-Q{number:03d}" for number in range(1, len(QUESTIONS) + 1, len(QUESTIONS) // PAPER_SIZE)]
    papers.paper_create(actor=None, scope=scope, code="DEMO-PAPER-1", title="学习型党组织建设知识测试卷",
                        publisher_code=province.code, items=[papers.FixedItem(code, POINTS) for code in chosen])
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8)))
    papers.exam_create(actor=None, scope=scope, code=EXAM_CODE, org_code=province.code, data=papers.ExamInput(
        title="学习型党组织建设知识测试", paper="DEMO-PAPER-1", opens_at=start, closes_at=start + dt.timedelta(days=30),
        duration_minutes=30, pass_mark=PASS_MARK, max_attempts=3))
    return {"questions": len(QUESTIONS), "exams": 1}
