"""学习活动: activities, attendance, the hours ledger's sources, campaigns and plans (seed document 四)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ActivityKind(models.TextChoices):  # 活动类型
    CENTRAL_GROUP_STUDY = "中心组集体学习", "中心组集体学习"
    SEMINAR = "务虚研讨", "务虚研讨"
    THEMATIC_RESEARCH = "专题调研", "专题调研"
    PARTY_LECTURE = "讲党课", "讲党课"
    TRAINING = "培训", "培训"
    GRASSROOTS_RESEARCH = "调查研究", "调查研究"
    EXPERIENCE_EXCHANGE = "经验交流会", "经验交流会"
    THEME_EDUCATION = "主题教育", "主题教育"
    THEMATIC_STUDY = "专题学习", "专题学习"
    SELF_STUDY = "个人自学", "个人自学"
    ONLINE_LEARNING = "网络学习", "网络学习"
    LECTURE_FORUM = "讲座论坛", "讲座论坛"


class ContentArea(models.TextChoices):  # 学习内容, seed document 三
    THEORY_SYSTEM = "中国特色社会主义理论体系", "中国特色社会主义理论体系"
    SCIENTIFIC_DEVELOPMENT = "科学发展观", "科学发展观"
    CORE_VALUES = "社会主义核心价值体系", "社会主义核心价值体系"
    PROFESSIONAL_KNOWLEDGE = "岗位专业知识", "岗位专业知识"
    DECISIONS = "中央和省委决策部署", "中央和省委决策部署"
    JILIN_EXPERIENCE = "吉林发展振兴经验", "吉林发展振兴经验"


class TrainingType(models.TextChoices):  # 培训类别
    PRE_POST = "岗前培训", "岗前培训"
    PROFESSIONAL = "业务培训", "业务培训"
    PROMOTION = "晋职培训", "晋职培训"
    THEORY = "理论培训", "理论培训"


class AttendanceStatus(models.TextChoices):  # 出勤
    PRESENT = "出席", "出席"
    ABSENT = "缺席", "缺席"
    LEAVE = "请假", "请假"


class Campaign(models.Model):
    """主题教育: a theme campaign over a subtree, with its themes and the activities each level owes."""

    code = models.CharField("编号", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    organizer = models.ForeignKey("orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT,
                                  related_name="organized_campaigns")
    covers = models.ForeignKey("orgs.Organization", verbose_name="覆盖范围（含下级）", on_delete=models.PROTECT,
                               related_name="covered_by_campaigns")
    themes = models.JSONField("主题", default=list)
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "主题教育"
        verbose_name_plural = "主题教育"
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="campaign_dates_ordered")]

    def __str__(self) -> str:
        return self.name


class CampaignRequirement(models.Model):
    """What a campaign asks of each organization at one level: at least N activities of a kind."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requirements")
    level = models.CharField("组织层级", max_length=8)
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    minimum = models.PositiveIntegerField("至少次数", default=1)

    class Meta:
        verbose_name = "主题教育要求"
        verbose_name_plural = "主题教育要求"
        constraints = [models.UniqueConstraint(fields=["campaign", "level", "kind"], name="campaignreq_unique")]

    def __str__(self) -> str:
        return f"{self.level} {self.kind} ≥ {self.minimum}"


class Activity(models.Model):
    number = models.CharField("活动编号", max_length=64, unique=True)
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    host = models.ForeignKey("orgs.Organization", verbose_name="主办组织", on_delete=models.PROTECT,
                             related_name="hosted_activities")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    # Blank: the kind's default credit (学时认定) applies, computed when read.
    hours = models.DecimalField("学时", max_digits=7, decimal_places=2, null=True, blank=True)
    topic = models.CharField("主题", max_length=300)
    training_type = models.CharField("培训类别", max_length=8, choices=TrainingType.choices, blank=True)
    off_job = models.BooleanField("是否脱产", default=False)
    speaker = models.CharField("主讲人", max_length=100, blank=True)
    speaker_person = models.ForeignKey("people.Person", verbose_name="主讲人（在册）", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="lectures_given")
    venue = models.CharField("地点", max_length=200, blank=True)
    campaign = models.ForeignKey(Campaign, verbose_name="所属主题教育", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="activities")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "学习活动"
        verbose_name_plural = "学习活动"
        indexes = [
            models.Index(fields=["host", "kind", "start_date"]),
            models.Index(fields=["kind", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="activity_dates_ordered"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="activity_hours_positive"),
            models.CheckConstraint(condition=Q(kind="培训") | (Q(training_type="") & Q(off_job=False)),
                                   name="activity_training_fields_only_for_training"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}（{self.number}）"

    @property
    def length_days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class ActivityContentArea(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="area_rows")
    area = models.CharField("学习内容", max_length=16, choices=ContentArea.choices)

    class Meta:
        verbose_name = "活动学习内容"
        verbose_name_plural = "活动学习内容"
        constraints = [models.UniqueConstraint(fields=["activity", "area"], name="activityarea_unique")]

    def __str__(self) -> str:
        return self.area


class Attendance(models.Model):
    """One person at one activity: present, absent or on leave, and the credit when not the activity's."""

    # No single-column indexes: the unique (activity, person) and the (person, status) index lead
    # with each, and every index costs time on a bulk load of millions of rows.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance", db_index=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="attendance", db_index=False)
    status = models.CharField("出勤", max_length=4, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT)
    hours = models.DecimalField("学时", max_digits=7, decimal_places=2, null=True, blank=True)
    days = models.DecimalField("天数", max_digits=6, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "参加记录"
        verbose_name_plural = "参加记录"
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="attendance_hours_positive"),
            models.CheckConstraint(condition=Q(days__isnull=True) | Q(days__gte=0), name="attendance_days_positive"),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.person_id} {self.status}"


class CreditRule(models.Model):
    """学时认定: the default credit of a kind when a record gives no hours; the province edits it."""

    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices, unique=True)
    hours_per_session = models.DecimalField("每次学时", max_digits=6, decimal_places=2, default=0)
    hours_per_day = models.DecimalField("每天学时（多日活动）", max_digits=6, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "学时认定规则"
        verbose_name_plural = "学时认定规则"

    def __str__(self) -> str:
        return f"{self.kind}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "待认定"
    CERTIFIED = "certified", "已认定"
    REFUSED = "refused", "不予认定"


class LearningClaim(models.Model):
    """A self-declared record (个人自学, learning elsewhere): counts only once certified."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField("类型", max_length=16, choices=ActivityKind.choices, default=ActivityKind.SELF_STUDY)
    title = models.CharField("学习内容", max_length=300)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    hours = models.DecimalField("申报学时", max_digits=7, decimal_places=2)
    days = models.DecimalField("申报天数", max_digits=6, decimal_places=2, default=0)
    off_job = models.BooleanField("是否脱产", default=False)
    evidence = models.TextField("证明材料说明", blank=True)
    status = models.CharField("状态", max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField("认定时间", null=True, blank=True)
    decided_by = models.CharField("认定人", max_length=150, blank=True)
    refusal_reason = models.CharField("不予认定的理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "学时申报"
        verbose_name_plural = "学时申报"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="claim_hours_positive"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="claim_refusal_has_reason"),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.title}"


class PlatformSource(models.TextChoices):  # 平台学时的来源
    ONLINE = "在线学习", "在线学习"
    EXAM = "考试", "考试"


class PlatformCredit(models.Model):
    """平台学时: credit the platform records itself, the ledger's third source beside attendance and claims.

    Online learning (在线学习): one row per person and day, the day's heartbeat time in tenths of an hour
    (reference: the date); an exam passed (考试): one row per person and exam (reference: the exam's code).
    Not audited row by row (a province's heartbeats write thousands a minute): updated_at tells when the
    platform last changed a row, and the reading records (library.ReadingTime) or the attempt say why.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="platform_credits")
    kind = models.CharField("类型", max_length=16, choices=ActivityKind.choices, default=ActivityKind.ONLINE_LEARNING)
    date = models.DateField("日期")
    hours = models.DecimalField("学时", max_digits=7, decimal_places=2)
    source = models.CharField("来源", max_length=8, choices=PlatformSource.choices)
    reference = models.CharField("依据", max_length=64)
    title = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "平台学时"
        verbose_name_plural = "平台学时"
        constraints = [
            models.UniqueConstraint(fields=["person", "source", "reference"], name="platformcredit_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="platformcredit_hours_positive"),
        ]
        indexes = [models.Index(fields=["person", "date"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.source} {self.reference}"


class StudyPlan(models.Model):
    """学习计划: an organization's plan for a year."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="study_plans")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    reading_list = models.JSONField("学习书目", default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "学习计划"
        verbose_name_plural = "学习计划"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="studyplan_unique")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}"


class StudyPlanItem(models.Model):
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="items")
    quarter = models.PositiveSmallIntegerField("季度")
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    topic = models.CharField("主题", max_length=300)
    content_areas = models.JSONField("学习内容", default=list)

    class Meta:
        verbose_name = "学习计划条目"
        verbose_name_plural = "学习计划条目"
        constraints = [models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="planitem_quarter")]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.topic}"


class PersonalPlan(models.Model):
    """个人自学计划: a person's goals for a year."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="personal_plans")
    year = models.PositiveIntegerField("年度")
    goal_hours = models.DecimalField("目标学时", max_digits=7, decimal_places=2, default=0)
    topics = models.JSONField("学习专题", default=list)
    books = models.JSONField("学习书目", default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "个人自学计划"
        verbose_name_plural = "个人自学计划"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="personalplan_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"


class AttachmentKind(models.TextChoices):  # 附件类别
    MINUTES = "会议记录", "会议记录"
    SIGN_IN_SHEET = "签到表", "签到表"
    PHOTO = "照片", "照片"
    SLIDES = "课件", "课件"
    OTHER = "其他材料", "其他材料"


class StoredFile(models.Model):
    """A file kept as evidence (learning.attachments checks and stores it by its content's hash), served only
    through a scoped view; the models of activity, outcome and rectification files add what they belong to."""

    name = models.CharField("文件名", max_length=200)
    # What the content is (by its first bytes), never what the uploader's browser said.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.CharField("上传人", max_length=150, blank=True)
    # Minutes, sign-in sheets, evidence of rectification: a removal hides the file and keeps it.
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)
    removed_by = models.CharField("移除人", max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Attachment(StoredFile):
    """A file kept with an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("类别", max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)

    class Meta:
        verbose_name = "活动附件"
        verbose_name_plural = "活动附件"
        indexes = [models.Index(fields=["activity", "uploaded_at"])]


class CreditTotal(models.Model):
    """学时汇总: one person's credited hours and days of one kind in one quarter, kept current by every write.

    Hours and days are held in hundredths, as integers, so that sums are exact and the same on
    SQLite and PostgreSQL. Rebuilt from the raw records, the table must come out identical.
    """

    # Derived rows, rebuilt by the million: no foreign-key check per row (people and organizations
    # are never deleted, only marked inactive).
    # The unique key below leads with the person: an index of its own would only repeat it.
    person = models.ForeignKey("people.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                               db_index=False)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    off_job = models.BooleanField()
    training_type = models.CharField(max_length=8, blank=True)
    hours_centi = models.BigIntegerField()
    days_centi = models.BigIntegerField()
    records = models.PositiveIntegerField()

    class Meta:
        verbose_name = "学时汇总"
        verbose_name_plural = "学时汇总"
        constraints = [models.UniqueConstraint(
            fields=["person", "year", "quarter", "kind", "off_job", "training_type"], name="credittotal_unique")]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}Q{self.quarter} {self.kind}"


class HostedTotal(models.Model):
    """How many activities of a kind an organization hosted itself in a quarter, kept current."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                            db_index=False)  # the unique key leads with it
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    activities = models.PositiveIntegerField()

    class Meta:
        verbose_name = "主办活动汇总"
        verbose_name_plural = "主办活动汇总"
        constraints = [models.UniqueConstraint(fields=["org", "year", "quarter", "kind"], name="hostedtotal_unique")]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}Q{self.quarter} {self.kind}"


class SpeakerTotal(models.Model):
    """How many activities of a kind a person on the roster gave as speaker (主讲) in a quarter, kept current."""

    # Derived rows, rebuilt by the million: no foreign-key check per row (people and organizations
    # are never deleted, only marked inactive).
    person = models.ForeignKey("people.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                               db_index=False)  # the unique key leads with it
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    activities = models.PositiveIntegerField()

    class Meta:
        verbose_name = "主讲活动汇总"
        verbose_name_plural = "主讲活动汇总"
        constraints = [models.UniqueConstraint(fields=["person", "year", "quarter", "kind"],
                                               name="speakertotal_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}Q{self.quarter} {self.kind}"


class OrgSwitch(models.Model):
    """Something an organization shows its members or not (学习排名, 学习积分).

    Off unless an organization switches it on (the 2023 rules against 指尖上的形式主义 forbid making points
    and rankings compulsory); one without a switch of its own follows the nearest above it that has one
    (learning.selectors.switch_open).
    """

    org = models.OneToOneField("orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.org_id} {'开' if self.enabled else '关'}"


class RankingSwitch(OrgSwitch):
    """学习排名: whether an organization's members see where their credited hours rank among its people."""

    enabled = models.BooleanField("向党员公开学习排名", default=False)

    class Meta:
        verbose_name = "学习排名开关"
        verbose_name_plural = "学习排名开关"
