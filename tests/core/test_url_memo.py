"""`{% url %}` keeps each address once made (core.templatetags.url_memo) and answers exactly as Django's."""

from __future__ import annotations

import pytest
from django.template import Engine, engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.templatetags import url_memo


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_engine_uses_it_in_every_template():
    assert "core.templatetags.url_memo" in engines["django"].engine.builtins
    assert Engine.get_default().template_builtins[-1].tags["url"] is url_memo.url


def test_it_answers_as_reverse_with_arguments_of_every_kind():
    url_memo._kept.cache_clear()
    assert render("{% url 'home' %}") == reverse("home")
    for pk in (1, 2, 12345):
        assert render("{% url 'funding:spending_detail' pk %}", pk=pk) == reverse("funding:spending_detail",
                                                                                 args=[pk])
        assert render("{% url 'funding:spending_detail' pk=pk %}", pk=pk) == reverse("funding:spending_detail",
                                                                                    kwargs={"pk": pk})
    assert render("{% url 'funding:spending_detail' pk %}", pk="7") == reverse("funding:spending_detail", args=[7])
    assert url_memo._kept.cache_info().currsize >= 4
    # as a variable, and nothing when there is no such address
    assert render("{% url 'home' as here %}[{{ here }}]") == f"[{reverse('home')}]"
    assert render("{% url 'no-such-page' as here %}[{{ here }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    with pytest.raises(NoReverseMatch):
        render("{% url 'funding:spending_detail' pk %}", pk="abc")


def test_an_object_as_argument_is_worked_out_each_time():
    class Key:
        def __init__(self, value):
            self.value = value

        def __str__(self):
            return str(self.value)

    url_memo._kept.cache_clear()
    key = Key(3)
    assert render("{% url 'funding:spending_detail' key %}", key=key) == reverse("funding:spending_detail", args=[3])
    key.value = 4  # the same object, another address: nothing kept under it
    assert render("{% url 'funding:spending_detail' key %}", key=key) == reverse("funding:spending_detail", args=[4])
    assert url_memo._kept.cache_info().currsize == 0


def test_the_script_prefix_is_part_of_the_key():
    url_memo._kept.cache_clear()
    plain = render("{% url 'home' %}")
    set_script_prefix("/legalaid/")
    try:
        assert render("{% url 'home' %}") == "/legalaid/" + plain.lstrip("/")
    finally:
        set_script_prefix("/")
    assert render("{% url 'home' %}") == plain


def test_addresses_are_escaped_as_before():
    source = "{% url 'reports:figure' code %}"
    raw = reverse("reports:figure", args=["a&b"])
    assert "&" in raw
    assert render(source, code="a&b") == raw.replace("&", "&amp;")
    assert render("{% autoescape off %}" + source + "{% endautoescape %}", code="a&b") == raw
