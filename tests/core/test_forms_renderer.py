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
