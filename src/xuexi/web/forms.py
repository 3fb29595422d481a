"""Forms of the pages; their fields are the allowlists the services accept."""

from __future__ import annotations

from django import forms

from xuexi.orgs.models import Kind, Level, Sector
from xuexi.people.models import FocusGroup, Gender, LeaderPost, Rank


class RuleRowForm(forms.Form):
    """A one-row form of a rules page (学时认定规则, 积分规则), refused with one message for its first bad field."""

    # Field name → what a good value is, in words.
    _EXPECTED: dict[str, str] = {}

    def problem(self) -> str:
        """The first bad field, named with the value given and what is expected."""
        name = next(iter(self.errors))
        label = self.fields[name].label if name in self.fields else "请求"
        value = self.data.get(name, "")
        shown = f"“{value}”" if value else "为空"
        return f"{label}{shown}无效：应为{self._EXPECTED.get(name, '有效的值')}"


class OrgForm(forms.Form):
    name = forms.CharField(label="组织名称", max_length=200)
    level = forms.ChoiceField(label="组织层级", choices=Level.choices)
    kind = forms.ChoiceField(label="组织类型", choices=Kind.choices)
    sector = forms.ChoiceField(label="单位类别", choices=Sector.choices)
    has_central_group = forms.BooleanField(label="设有中心组", required=False)


class OrgCreateForm(OrgForm):
    code = forms.CharField(label="组织编码", max_length=64)
    field_order = ["code", "name", "level", "kind", "sector", "has_central_group"]


class OrgMoveForm(forms.Form):
    new_parent_code = forms.CharField(label="新的上级组织编码", max_length=64)


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=100)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices, required=False)
    rank = forms.ChoiceField(label="职级", choices=Rank.choices, initial=Rank.NONE)
    leader_post = forms.ChoiceField(label="领导职务", choices=LeaderPost.choices, initial=LeaderPost.NONE)
    groups = forms.MultipleChoiceField(label="关注群体", choices=FocusGroup.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    central_group_member = forms.BooleanField(label="中心组成员", required=False)
    id_card = forms.CharField(label="身份证号", max_length=18, required=False,
                              help_text="留空表示不修改")
    phone = forms.CharField(label="手机号", max_length=11, required=False, help_text="留空表示不修改")


class PersonCreateForm(PersonForm):
    number = forms.CharField(label="人员编号", max_length=64)
    field_order = ["number", "name"]


class TransferForm(forms.Form):
    to_org_code = forms.CharField(label="转入组织编码", max_length=64)
    effective_date = forms.DateField(label="转接日期", required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="原因", max_length=200, required=False)
