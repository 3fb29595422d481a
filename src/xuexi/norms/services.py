"""Writes of the norms: a rule's new version from a date, a lower level's own rule, exemptions; all audited."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound, refuse_unknown_fields
from xuexi.learning.models import ActivityKind, TrainingType
from xuexi.norms import standings
from xuexi.norms.access import access_rule
from xuexi.norms.engine import version_in_force
from xuexi.norms.errors import NormsError
from xuexi.norms.models import Exemption, Metric, PeriodKind, Rule, RuleVersion, SubjectType
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Kind, Level, Organization, Sector
from xuexi.people.access import access_person
from xuexi.people.models import FocusGroup, LeaderPost, Rank

ORG_METRICS = {Metric.HOSTED, Metric.PRESENCE, Metric.REPORT_ON_TIME}
PERSON_METRICS = {Metric.SPOKE, Metric.HOURS, Metric.DAYS}
PERIOD_LABEL = re.compile(r"\d{4}(-Q[1-4]|-\d{4})?")


@dataclass(frozen=True)
class RuleTerms:
    """What a rule version requires: the fields of spec/norms.md's table, as a province edits them."""

    name: str
    source: str
    subject_type: str
    metric: str
    period: str
    required: Decimal
    enabled: bool = True
    kinds: Sequence[str] = ()
    off_job_only: bool = False
    training_type: str = ""
    org_levels: Sequence[str] = ()
    org_kinds: Sequence[str] = ()
    org_sectors: Sequence[str] = ()
    central_group_only: bool = False
    with_parent_only: bool = False
    person_ranks: Sequence[str] = ()
    person_leader_posts: Sequence[str] = ()
    person_groups: Sequence[str] = ()
    window_years: int = 1
    # 单位类别模板: the requirement for subjects of these 单位类别, where it differs from `required`.
    sector_required: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)


def _invalid(field_name: str, detail: str) -> DomainError:
    return DomainError(NormsError.RULE_INVALID, detail, field=field_name)


def _check_choices(field_name: str, label: str, values: Sequence[str], allowed: Sequence[str]) -> None:
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise _invalid(field_name, f"{label}“{'、'.join(wrong)}”无效，应为{'、'.join(allowed)}中的一项或几项")


def check_terms(terms: RuleTerms) -> None:
    """Every field of a version is checked against what the engine can count, with a message naming it."""
    if not terms.name.strip():
        raise _invalid("name", "请填写规则名称")
    if not terms.source.strip():
        raise _invalid("source", "请填写制度原文，说明这条规则的依据")
    if terms.subject_type not in SubjectType.values:
        raise _invalid("subject_type", f"对象“{terms.subject_type}”无效，应为组织或人员")
    if terms.metric not in Metric.values:
        raise _invalid("metric", f"指标“{terms.metric}”无效，应为{'、'.join(Metric.labels)}之一")
    allowed_metrics = ORG_METRICS if terms.subject_type == SubjectType.ORG else PERSON_METRICS
    if terms.metric not in allowed_metrics:
        labels = "、".join(Metric(m).label for m in sorted(allowed_metrics))
        raise _invalid("metric", f"对象为{SubjectType(terms.subject_type).label}时，指标应为{labels}之一")
    if terms.period not in PeriodKind.values:
        raise _invalid("period", f"周期“{terms.period}”无效，应为每季度、每年或连续多年累计")
    if terms.period == PeriodKind.WINDOW and not 2 <= terms.window_years <= 10:
        raise _invalid("window_years", f"累计年数 {terms.window_years} 无效，应为 2 到 10")
    if terms.required < 0:
        raise _invalid("required", f"要求 {terms.required} 无效，应不小于 0")
    _check_choices("kinds", "活动类型", terms.kinds, ActivityKind.values)
    if terms.training_type:
        _check_choices("training_type", "培训类别", [terms.training_type], TrainingType.values)
    _check_choices("org_levels", "组织层级", terms.org_levels, Level.values)
    _check_choices("org_kinds", "组织类型", terms.org_kinds, Kind.values)
    _check_choices("org_sectors", "单位类别", terms.org_sectors, Sector.values)
    _check_choices("person_ranks", "职级", terms.person_ranks, Rank.values)
    _check_choices("person_leader_posts", "领导职务", terms.person_leader_posts, LeaderPost.values)
    _check_choices("person_groups", "关注群体", terms.person_groups, FocusGroup.values)
    _check_sector_required(terms)
    if terms.metric == Metric.PRESENCE:
        for sector, figure in [("", terms.required), *terms.sector_required.items()]:
            if figure > 100:
                where = f"{sector}的" if sector else ""
                raise _invalid("sector_required" if sector else "required",
                               f"{where}出席率要求 {figure}% 无效，应在 0 到 100 之间")


def _check_sector_required(terms: RuleTerms) -> None:
    if not terms.sector_required:
        return
    _check_choices("sector_required", "单位类别", list(terms.sector_required), Sector.values)
    if terms.metric == Metric.REPORT_ON_TIME:
        raise _invalid("sector_required", "按时报送年度总结和计划的要求不分单位类别")
    outside = [s for s in terms.sector_required if terms.org_sectors and s not in terms.org_sectors]
    if outside:
        raise _invalid("sector_required", f"单位类别“{'、'.join(outside)}”不在本规则适用的单位类别"
                                          f"（{'、'.join(terms.org_sectors)}）之内")
    for sector, figure in terms.sector_required.items():
        if figure < 0:
            raise _invalid("sector_required", f"{sector}的要求 {figure} 无效，应不小于 0")


def _version_values(terms: RuleTerms) -> dict[str, object]:
    return {
        "name": terms.name.strip(), "source": terms.source.strip(), "subject_type": terms.subject_type,
        "metric": terms.metric, "period": terms.period, "required": terms.required, "enabled": terms.enabled,
        "kinds": list(terms.kinds), "off_job_only": terms.off_job_only, "training_type": terms.training_type,
        "org_levels": list(terms.org_levels), "org_kinds": list(terms.org_kinds),
        "org_sectors": list(terms.org_sectors), "central_group_only": terms.central_group_only,
        "with_parent_only": terms.with_parent_only, "person_ranks": list(terms.person_ranks),
        "person_leader_posts": list(terms.person_leader_posts), "person_groups": list(terms.person_groups),
        "window_years": terms.window_years if terms.period == PeriodKind.WINDOW else 1,
        "sector_required": {sector: format(Decimal(figure).normalize(), "f")
                            for sector, figure in sorted(terms.sector_required.items())},
    }


def _may_edit(scope: Scope, rule: Rule) -> bool:
    """The province's rules are the province's; a lower level's rule, its administrators'."""
    if rule.owner is None:
        root = Organization.objects.filter(depth=1).first()
        return root is not None and scope.covers_path(root.path, write=True)
    return scope.covers_path(rule.owner.path, write=True)


def _overlap(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """Two filters on one attribute admit a common subject (an empty filter admits all)."""
    return not mine or not theirs or bool(set(mine) & set(theirs))


def _same_measure(terms: RuleTerms, version: RuleVersion) -> bool:
    """Both count the same thing over the same period for subjects that may coincide."""
    if (terms.subject_type, terms.metric, terms.period, terms.off_job_only, terms.training_type) != (
            version.subject_type, version.metric, version.period, version.off_job_only, version.training_type):
        return False
    if terms.period == PeriodKind.WINDOW and terms.window_years != version.window_years:
        return False
    if set(terms.kinds) != set(version.kinds) or not _overlap(terms.org_sectors, version.org_sectors):
        return False
    if terms.subject_type == SubjectType.ORG:
        return _overlap(terms.org_levels, version.org_levels) and _overlap(terms.org_kinds, version.org_kinds)
    return (_overlap(terms.person_ranks, version.person_ranks)
            and _overlap(terms.person_leader_posts, version.person_leader_posts)
            and _overlap(terms.person_groups, version.person_groups))


def check_not_looser(*, owner: Organization, effective_from: date, terms: RuleTerms, code: str = "") -> None:
    """A lower level may be stricter than the levels above it, never looser (只能从严，不能放宽).

    Its rule is compared with every enabled rule of the province and of its ancestors that counts
    the same measure over the same period for subjects it may share, as in force on the day it takes
    effect, 单位类别 by 单位类别. Both rules bind the subtree whatever their figures; a looser one would
    only mislead those it binds into taking it for the standard.
    """
    if not terms.enabled or terms.metric == Metric.REPORT_ON_TIME:
        return
    ancestors = [owner.path[:end] for end in range(owner.steplen, len(owner.path), owner.steplen)]
    higher = Rule.objects.filter(Q(owner__isnull=True) | Q(owner__path__in=ancestors)).exclude(code=code)
    sectors = terms.org_sectors or Sector.values
    for rule in higher.prefetch_related("versions").order_by("code"):
        version = version_in_force(list(rule.versions.all()), effective_from)
        if version is None or not version.enabled or not _same_measure(terms, version):
            continue
        for sector in sectors:
            if version.org_sectors and sector not in version.org_sectors:
                continue
            mine = terms.sector_required.get(sector, terms.required)
            theirs = version.requirement_for(sector)
            if mine < theirs:
                where = f"对{sector}" if mine != terms.required or theirs != version.required else ""
                raise DomainError(
                    NormsError.RULE_LOOSER,
                    f"{where}要求 {format(Decimal(mine).normalize(), 'f')} 低于上级规则“{version.name}”"
                    f"（{rule.code}）的 {format(theirs.normalize(), 'f')}；下级只能从严，不能放宽",
                    field="sector_required" if where else "required")


@transaction.atomic
def rule_version_save(*, actor: User, scope: Scope, code: str, effective_from: date, terms: RuleTerms) -> RuleVersion:
    """A rule's terms from a date on: a new version, or the one already starting that day changed."""
    rule = access_rule(scope=scope, code=code)
    if not _may_edit(scope, rule):
        raise Forbidden(NormsError.RULE_FORBIDDEN, "省级规则由省级组织管理员修改；下级只能为本级及以下增设规则")
    check_terms(terms)
    if rule.owner is not None:
        check_not_looser(owner=rule.owner, effective_from=effective_from, terms=terms, code=rule.code)
    version, created = RuleVersion.objects.update_or_create(
        rule=rule, effective_from=effective_from,
        defaults={**_version_values(terms), "changed_by": actor.username})
    standings.rule_changed(rule.code)
    audit_record(action="rule_version_create" if created else "rule_version_update", actor=actor,
                 object_type="rule", object_id=rule.code, object_repr=terms.name,
                 detail={"effective_from": effective_from.isoformat(), "required": terms.required,
                         "enabled": terms.enabled, "period": terms.period})
    return version


@transaction.atomic
def rule_create(*, actor: User, scope: Scope, code: str, owner_code: str, effective_from: date,
                terms: RuleTerms) -> Rule:
    """A new rule: the province's (owner = the root) or a lower level's for its own subtree."""
    owner = access_org(scope=scope, code=owner_code, write=True)
    if not code or len(code) > 64 or not all(c.isascii() and (c.isalnum() or c == "-") for c in code):
        raise _invalid("code", f"规则编码“{code}”无效，应为不超过 64 个字符的英文字母、数字和连字符")
    if Rule.objects.filter(code=code).exists():
        raise DomainError(NormsError.RULE_CODE_TAKEN, f"规则编码 {code} 已被使用", field="code",
                          kind=ErrorKind.CONFLICT)
    check_terms(terms)
    if owner.depth > 1:
        check_not_looser(owner=owner, effective_from=effective_from, terms=terms)
    rule = Rule.objects.create(code=code, owner=None if owner.depth == 1 else owner)
    RuleVersion.objects.create(rule=rule, effective_from=effective_from, changed_by=actor.username,
                               **_version_values(terms))
    standings.rule_changed(rule.code)
    audit_record(action="rule_create", actor=actor, object_type="rule", object_id=code, object_repr=terms.name,
                 detail={"owner": owner.code, "effective_from": effective_from.isoformat(),
                         "required": terms.required})
    return rule


@transaction.atomic
def sector_template_save(*, actor: User, scope: Scope, sector: str, effective_from: date,
                         figures: Mapping[str, Decimal | None]) -> list[str]:
    """单位类别模板: what each rule asks of one 单位类别, from a date; a new version of each rule whose figure changes.

    `figures` maps rule codes to the 单位类别's own figure, or None (or the rule's general figure) to
    follow the rule's general one. Returns the codes changed; nothing is stored when one is refused.
    """
    if sector not in Sector.values:
        raise _invalid("sector", f"单位类别“{sector}”无效，应为{'、'.join(Sector.values)}之一")
    changed = []
    for code, figure in figures.items():
        rule = access_rule(scope=scope, code=code)
        if not _may_edit(scope, rule):
            raise Forbidden(NormsError.RULE_FORBIDDEN, f"规则 {code} 不由您管理，不能修改其单位类别要求")
        versions = sorted(rule.versions.all(), key=lambda v: v.effective_from)
        base = version_in_force(versions, effective_from) or versions[0]
        if base.org_sectors and sector not in base.org_sectors:
            raise _invalid(f"figure_{code}", f"规则 {code} 不适用于{sector}，不能为其另定要求")
        own = {s: Decimal(f) for s, f in base.sector_required.items()}
        if figure is None or figure == base.required:
            own.pop(sector, None)
        else:
            own[sector] = figure
        if own != {s: Decimal(f) for s, f in base.sector_required.items()}:
            rule_version_change(actor=actor, scope=scope, code=code, effective_from=effective_from,
                                changes={"sector_required": own})
            changed.append(code)
    audit_record(action="sector_template_save", actor=actor, object_type="sector_template", object_id=sector,
                 object_repr=sector, detail={"effective_from": effective_from.isoformat(), "rules": changed})
    return changed


@transaction.atomic
def exemption_grant(*, actor: User, scope: Scope, rule_code: str, period: str, reason: str,
                    org_code: str = "", person_number: str = "") -> Exemption:
    """豁免: excuse one subject from one rule for one period, for a stated reason, within the granter's scope."""
    rule = access_rule(scope=scope, code=rule_code)
    if bool(org_code) == bool(person_number):
        raise _invalid("subject", "请指定一个组织或一名人员")
    if not PERIOD_LABEL.fullmatch(period.strip()):
        raise _invalid("period", f"周期“{period}”无效，应写作 2025、2025-Q1 或 2021-2025")
    if not reason.strip():
        raise _invalid("reason", "请说明豁免理由")
    org = access_org(scope=scope, code=org_code, write=True) if org_code else None
    person = access_person(scope=scope, number=person_number, write=True) if person_number else None
    exemption, created = Exemption.objects.update_or_create(
        rule=rule, org=org, person=person, period=period.strip(),
        defaults={"reason": reason.strip()[:300], "granted_by": actor.username})
    standings.exemption_changed(rule_code=rule.code, period=exemption.period, person_id=exemption.person_id,
                                org_id=exemption.org_id)
    audit_record(action="exemption_grant", actor=actor, object_type="rule", object_id=rule.code,
                 object_repr=org.code if org else person.number if person else "",
                 detail={"period": period, "reason": reason.strip()[:300], "new": created})
    return exemption


RULE_TERM_FIELDS = tuple(f.name for f in dataclasses.fields(RuleTerms))


def terms_of(version: RuleVersion) -> RuleTerms:
    """A stored version's terms, the starting point of the next one."""
    values = {name: getattr(version, name) for name in RULE_TERM_FIELDS}
    values["sector_required"] = {sector: Decimal(figure) for sector, figure in version.sector_required.items()}
    return RuleTerms(**values)


@transaction.atomic
def rule_version_change(*, actor: User, scope: Scope, code: str, effective_from: date,
                        changes: Mapping[str, Any]) -> RuleVersion:
    """A rule's new version from a date that changes only the named terms; the rest carry over.

    The terms carried over are those of the version in force on that date (the earliest one when the
    date lies before them all), so a threshold raised from next year keeps this year's filters.
    """
    rule = access_rule(scope=scope, code=code)
    refuse_unknown_fields(changes, RULE_TERM_FIELDS, code=NormsError.RULE_INVALID)
    versions = sorted(rule.versions.all(), key=lambda v: v.effective_from)
    base = version_in_force(versions, effective_from) or versions[0]
    terms = dataclasses.replace(terms_of(base), **changes)
    return rule_version_save(actor=actor, scope=scope, code=code, effective_from=effective_from, terms=terms)


@transaction.atomic
def exemption_revoke(*, actor: User, scope: Scope, exemption_id: int, rule_code: str = "") -> Exemption:
    """撤销豁免: withdraw one, within the revoker's write scope over its subject; with rule_code, of that rule only.

    Returns the exemption as it was, for the caller to name it.
    """
    scope.require_business_data()
    exemption = (
        Exemption.objects.select_related("rule", "org", "person__org")
        .filter(scope.org_q("org__") | scope.person_q("person__"))
        .filter(pk=exemption_id)
        .first()
    )
    if exemption is None or (rule_code and exemption.rule.code != rule_code):
        raise NotFound(NormsError.EXEMPTION_NOT_FOUND, f"豁免 {exemption_id} 不存在")
    if exemption.org is not None:
        subject, path, what = exemption.org.code, exemption.org.path, "组织"
    else:
        assert exemption.person is not None  # the database holds one subject or the other
        subject, path, what = exemption.person.number, exemption.person.org.path, "人员"
    if not scope.covers_path(path, write=True):
        raise Forbidden(NormsError.EXEMPTION_FORBIDDEN, f"您对{what} {subject} 只有查看权限，不能撤销其豁免")
    audit_record(action="exemption_revoke", actor=actor, object_type="rule", object_id=exemption.rule.code,
                 object_repr=subject, detail={"period": exemption.period, "reason": exemption.reason,
                                              "granted_by": exemption.granted_by, "exemption": exemption.pk})
    exemption.delete()
    standings.exemption_changed(rule_code=exemption.rule.code, period=exemption.period,
                                person_id=exemption.person_id, org_id=exemption.org_id)
    return exemption
