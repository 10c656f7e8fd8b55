"""Labels read in Chinese: the blank choice of every optional select, catalogue periods as a reader says
them, the "you have voted" line with Chinese punctuation."""

from django import forms
from django.template import Context, Template
from django.utils import translation

from branches.models import Member
from openness.rules import period_display


class GenderForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["gender"]


def test_an_optional_select_offers_qing_xuan_ze_not_english():
    with translation.override("zh-hans"):
        html = str(GenderForm()["gender"])
    assert "请选择" in html
    assert "Select an option" not in html


def test_periods_read_as_years_quarters_and_months_in_chinese():
    with translation.override("zh-hans"):
        assert period_display("2026-Q3") == "2026年第三季度"
        assert period_display("2026-Q1") == "2026年第一季度"
        assert period_display("2026-07") == "2026年7月"
        assert period_display("2026") == "2026年"
        assert period_display("2026-03-05") == "2026-03-05"
        assert period_display("") == ""


def test_the_period_filter_in_a_template():
    with translation.override("zh-hans"):
        out = Template("{% load openness %}{{ p|period }}").render(Context({"p": "2026-Q3"}))
    assert out == "2026年第三季度"


def test_the_voted_line_uses_chinese_punctuation():
    with translation.override("zh-hans"):
        assert translation.gettext("You have voted (online).") == "您已投票（网上）。"


def test_a_filter_s_blank_choice_reads_quan_bu():
    import django_filters

    with translation.override("zh-hans"):
        field = django_filters.ChoiceFilter(choices=[("a", "A")]).field
        assert str(list(field.choices)[0][1]) == "全部"
