"""core.forms_renderer: selects rendered in Python are what Django's templates render, byte for byte."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from core.forms_renderer import FastSelectRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "甲 & <乙>"), ("b", 'say "hi"')])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")],
                                     widget=forms.SelectMultiple(attrs={"size": 3, "class": "form-select",
                                                                        "data-q": "a\"b"}))
    grouped = forms.ChoiceField(choices=[("城关", [("1", "一"), ("2", "二")]), ("新桥", [("3", "三")]),
                                         ("4", "四")])
    flag = forms.NullBooleanField()
    when = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]))


def _html(renderer, data):
    return str(Sample(data, renderer=renderer))


def test_selects_render_as_the_templates_do():
    for data in [None, {"plain": "a", "many": ["x", "z"], "grouped": "3", "flag": "true", "when_year": "2026"},
                 {"plain": "<script>", "many": ["nope"]}]:
        fast, slow = _html(FastSelectRenderer(), data), _html(DjangoTemplates(), data)
        assert fast == slow
        assert "<select" in fast and "&lt;乙&gt;" in fast and "&quot;hi&quot;" in fast


def test_the_site_uses_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastSelectRenderer)


def test_fast_option_widgets_write_the_same_html():
    from core.forms_renderer import FastSelect, FastSelectMultiple

    choices = [("", "---------"), ("1", "王 & <伟>"), ("2", 'say "hi"'), ("30", "三十")]
    for fast, slow in [(FastSelect, forms.Select), (FastSelectMultiple, forms.SelectMultiple)]:
        for value in [None, "", "2", ["1", "30"], ["nope"], 30]:
            attrs = {"class": "form-select", "size": 3, "id": "id_h", "required": True, "data-x": 'a"b'}
            a = fast(attrs=attrs, choices=choices).render("handler", value, attrs={"aria-label": "承办人"})
            b = slow(attrs=attrs, choices=choices).render("handler", value, attrs={"aria-label": "承办人"})
            assert a == b, (fast, value)
    grouped = [("城关", [("1", "一")]), ("2", "二")]
    assert FastSelect(choices=grouped).render("g", "1") == forms.Select(choices=grouped).render("g", "1")


def test_a_lookup_select_carries_only_the_chosen_and_pinned_options():
    """A province's 4,000 handlers are found by typing: the page holds the chosen ones and "the center"."""
    from core.forms_renderer import LookupSelect, LookupSelectMultiple

    choices = [("center", "本中心"), *[(str(i), f"律师{i}") for i in range(1, 4001)]]
    many = LookupSelectMultiple(choices=choices, lookup=("stations:lookup", "handlers"), pinned=("center",))
    html = many.render("handler", ["17", "4000"])
    assert html.count("<option") == 3
    assert '<option value="17" selected>律师17</option>' in html and '<option value="4000" selected>' in html
    assert '<option value="center">本中心</option>' in html
    assert 'data-lookup="/stations/lookup/handlers/"' in html and "data-lookup-placeholder=" in html
    assert many.render("handler", []).count("<option") == 1
    assert len(many.choices) == 4001  # every choice is still there for validation
    one = LookupSelect(choices=[("", "---------"), *choices[1:]], lookup=("stations:lookup", "stations"))
    html = one.render("station", "5")
    assert html.count("<option") == 2 and '<option value="5" selected>律师5</option>' in html


def test_a_filter_field_renders_as_crispy_does(db):
    """`{% filter_field %}` (the list filters) writes what crispy's as_crispy_field writes, but for the blanks
    around a label: labels, classes, help, errors, aria attributes and the chosen options."""
    import re

    from django.template import Context, Template

    from cases.filters import CaseFilter
    from cases.models import Case
    from intake.filters import ApplicationFilter
    from intake.models import Application

    def norm(html: str) -> str:
        return re.sub(r">\s+|\s+<", lambda m: m.group(0).strip(), re.sub(r"\s+", " ", html)).strip()

    crispy = Template("{% load crispy_forms_tags %}{% for f in filter.form %}{{ f|as_crispy_field }}{% endfor %}")
    ours = Template("{% load legalaid %}{% for f in filter.form %}{% filter_field f %}{% endfor %}")
    for cls, qs, data in [
        (CaseFilter, Case.objects.none(), {}),
        (CaseFilter, Case.objects.none(), {"q": "<b>", "status": ["closed"], "accepted_from": "bad",
                                           "handler": ["99999"], "is_mass": "1"}),
        (ApplicationFilter, Application.objects.none(), {"status": ["nope"], "received_from": "2025-01-01"}),
    ]:
        expected = crispy.render(Context({"filter": cls(data, queryset=qs)}))
        got = ours.render(Context({"filter": cls(data, queryset=qs)}))
        assert norm(got) == norm(expected)
        assert ("is-invalid" in got) == bool(data)  # each of these data has a wrong value
