"""学习资料库 for the demo province: twenty items the province published, and today's 理论学习天天向上.

Titles and short bodies written for the demo from the seed document's themes; no outside content. Through the
services, as the province's editor: twenty rows at every scale.
"""

from __future__ import annotations

import datetime as dt

from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning.models import ContentArea
from xuexi.library import services
from xuexi.orgs.models import Organization

_A = ContentArea
# (kind, title, source, areas, body)
ITEMS: list[tuple[str, str, str, list[str], str]] = [
    ("文章", "深入学习中国特色社会主义理论体系", "省委宣传部", [_A.THEORY_SYSTEM],
     "中国特色社会主义理论体系是指导党和人民事业发展的科学理论。党员干部要原原本本学、联系实际学，"
     "在学懂弄通做实上下功夫，用理论武装头脑、指导实践、推动工作。"),
    ("文章", "用科学发展观统领经济社会发展全局", "省委党校", [_A.SCIENTIFIC_DEVELOPMENT],
     "科学发展观第一要义是发展，核心是以人为本，基本要求是全面协调可持续，根本方法是统筹兼顾。"
     "各级党组织要把科学发展观贯彻到工作的各个方面。"),
    ("课程", "社会主义核心价值体系专题课程", "省干部在线学习", [_A.CORE_VALUES],
     "本课程分四讲，讲解社会主义核心价值体系的基本内容：马克思主义指导思想、中国特色社会主义共同理想、"
     "以爱国主义为核心的民族精神和以改革创新为核心的时代精神、社会主义荣辱观。"),
    ("文件", "关于推进学习型党组织建设的实施意见", "省委办公厅", [_A.DECISIONS],
     "为深入推进学习型党组织建设，建立健全党员干部学习制度，现提出如下意见：一、健全中心组学习制度；"
     "二、完善党员学习教育制度；三、落实学习考核评价制度；四、加强组织领导。"),
    ("文章", "吉林振兴发展的实践与启示", "吉林日报", [_A.JILIN_EXPERIENCE],
     "近年来，全省上下坚持以振兴发展为主线，推动老工业基地调整改造，发展现代农业，"
     "走出了一条具有吉林特色的振兴发展之路。"),
    ("图书", "干部岗位专业知识读本", "人民出版社", [_A.PROFESSIONAL_KNOWLEDGE],
     "本书面向基层党员干部，介绍依法行政、公共管理、应急处置、群众工作等岗位专业知识，"
     "每章附有案例和思考题，适合自学和集体学习使用。"),
    ("文章", "中心组学习要做到五个结合", "省委宣传部", [_A.THEORY_SYSTEM, _A.DECISIONS],
     "党委（党组）中心组学习要做到个人自学与集体研讨相结合、专题辅导与交流发言相结合、"
     "理论学习与调查研究相结合、学习与考核相结合、学习与解决实际问题相结合。"),
    ("视频", "乡村振兴战略专题辅导", "省干部在线学习", [_A.DECISIONS, _A.JILIN_EXPERIENCE],
     "专题辅导讲解实施乡村振兴战略的总要求：产业兴旺、生态宜居、乡风文明、治理有效、生活富裕，"
     "并结合本省粮食生产和黑土地保护的实践展开。"),
    ("文章", "党支部如何开好主题党日", "组工通讯", [_A.PROFESSIONAL_KNOWLEDGE],
     "主题党日要主题鲜明、形式多样、注重实效。支部书记要提前谋划，结合重点工作确定主题，"
     "组织党员学习讨论、开展志愿服务，会后做好记录和总结。"),
    ("文章", "弘扬社会主义核心价值观从身边做起", "吉林日报", [_A.CORE_VALUES],
     "社会主义核心价值观要落细落小落实。党员干部要带头践行，在家庭、社区、工作岗位上作表率，"
     "让核心价值观成为日常行为准则。"),
    ("文件", "省委关于加强调查研究的通知", "省委办公厅", [_A.DECISIONS],
     "各级领导干部要大兴调查研究之风，每年深入基层调研不少于规定天数，形成有分量的调研报告，"
     "推动调研成果转化为解决问题的具体措施。"),
    ("课程", "新时代党的建设总要求解读", "省委党校", [_A.THEORY_SYSTEM],
     "课程解读新时代党的建设总要求，围绕政治建设、思想建设、组织建设、作风建设、纪律建设展开，"
     "帮助党员全面把握党的建设的新思路新举措。"),
    ("文章", "以学习型党组织建设推动高质量发展", "省委宣传部", [_A.SCIENTIFIC_DEVELOPMENT, _A.DECISIONS],
     "学习型党组织建设要服务发展大局。把学习成果转化为推动高质量发展的思路和举措，"
     "是检验学习成效的根本标准。"),
    ("图书", "吉林老工业基地振兴史话", "吉林人民出版社", [_A.JILIN_EXPERIENCE],
     "本书讲述一汽、吉化等骨干企业在振兴东北老工业基地中的改革历程，总结了国有企业改革、"
     "产业转型升级的经验。"),
    ("文章", "基层党员干部如何提高学习能力", "组工通讯", [_A.PROFESSIONAL_KNOWLEDGE],
     "提高学习能力，要带着问题学、结合工作学、持之以恒学。每天挤出时间读书看报，"
     "利用网络平台学习，做到学有所得、学以致用。"),
    ("视频", "黑土地保护利用的吉林实践", "吉林广播电视台", [_A.JILIN_EXPERIENCE],
     "专题片介绍本省保护性耕作、秸秆还田、黑土地保护利用试点的做法和成效，"
     "展示了农业科技推广和农民增收的新变化。"),
    ("文章", "把改革创新精神贯穿工作始终", "吉林日报", [_A.CORE_VALUES, _A.SCIENTIFIC_DEVELOPMENT],
     "改革创新是时代精神的核心。党员干部要敢于破除思想障碍，勇于探索，在改革创新中推动工作上台阶。"),
    ("文件", "关于开展述学评学考学工作的办法", "省委组织部", [_A.DECISIONS, _A.PROFESSIONAL_KNOWLEDGE],
     "建立述学、评学、考学制度：领导干部每年述学一次，组织评学结果与干部考核挂钩，"
     "定期组织理论考试，考试结果作为评先评优的参考。"),
    ("文章", "学习理论要在学懂弄通做实上下功夫", "省委宣传部", [_A.THEORY_SYSTEM],
     "学懂是前提，弄通是关键，做实是目的。要系统学习、深入思考、联系实际，把理论学习成果"
     "转化为推动工作的实际成效。"),
    ("文章", "民营经济高质量发展的吉林路径", "吉林日报", [_A.JILIN_EXPERIENCE, _A.DECISIONS],
     "优化营商环境，支持民营企业发展壮大，是推动吉林全面振兴的重要举措。各地要落实惠企政策，"
     "帮助企业解决融资难、用工难等问题。"),
]
PUSHED_TODAY = (6, 4, 7)  # 理论学习天天向上 of today: indexes into ITEMS, in order
PUSHED_YESTERDAY = (0, 8)


def generate_library(*, today: dt.date) -> dict[str, int]:
    """Publish the demo items as the province and push today's (and yesterday's) 理论学习天天向上."""
    province = Organization.objects.filter(depth=1).order_by("path").first()
    if province is None:
        return {"library_items": 0}
    scope = whole_tree_scope()
    published = []
    for n, (kind, title, source, areas, body) in enumerate(ITEMS):
        fields = services.ItemFields(kind=kind, title=title, source=source, areas=areas, body=body,
                                     date=today - dt.timedelta(days=len(ITEMS) - n))
        published.append(services.item_publish(actor=None, scope=scope, org_code=province.code, fields=fields))
    for day, chosen in ((today, PUSHED_TODAY), (today - dt.timedelta(days=1), PUSHED_YESTERDAY)):
        services.push_set(actor=None, scope=scope, org_code=province.code, date=day,
                          item_ids=[published[i].pk for i in chosen])
    return {"library_items": len(published), "daily_pushes": 2}
