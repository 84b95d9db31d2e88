"""`{% kept %}` (core.templatetags.kept): a piece of a page kept under everything it shows, never stale."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from core.templatetags import kept

_parsed: dict = {}


def render(source: str, **context) -> str:
    """The template parsed once, as the cached loader keeps a page's template."""
    if source not in _parsed:
        _parsed[source] = engines["django"].from_string("{% load kept %}" + source)
    return _parsed[source].render(context)


@pytest.fixture(autouse=True)
def _nothing_kept():
    kept.forget_all()
    yield
    kept.forget_all()


def test_a_piece_is_kept_under_its_values_and_written_afresh_for_others():
    piece = "{% kept key %}[{{ n }}]{% endkept %}"
    assert render(piece, key=1, n="a") == "[a]"
    assert render(piece, key=1, n="b") == "[a]", "kept under key 1"
    assert render(piece, key=2, n="b") == "[b]"
    assert render(piece, key=None, n="c") == "[c]", "None: not kept"
    assert render(piece, key=None, n="d") == "[d]"
    assert render(piece, key=[1], n="e") == "[e]", "a value that cannot be a key: written each time"
    assert render(piece, key=[1], n="f") == "[f]"


def test_the_language_and_the_place_in_the_template_are_part_of_the_key():
    piece = "{% load i18n %}{% kept key %}{% translate 'Filter' %}{% endkept %}"
    with translation.override("zh-hans"):
        chinese = render(piece, key=1)
    with translation.override("en"):
        assert render(piece, key=1) == "Filter"
    assert chinese != "Filter"
    assert render("{% kept key %}A{% endkept %}{% kept key %}B{% endkept %}", key=1) == "AB"
    assert render("{% kept key %}C{% endkept %}", key=1) == "C", "another template's piece"


def test_at_most_keep_pieces_are_kept(monkeypatch):
    monkeypatch.setattr(kept, "KEEP", 3)
    for n in range(5):
        render("{% kept key %}{{ key }}{% endkept %}", key=n)
    assert len(kept._pieces) == 3
    assert render("{% kept key %}again {{ key }}{% endkept %}", key=0) == "again 0", "the oldest was dropped"


def test_it_needs_a_value():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        render("{% kept %}x{% endkept %}")


class Static(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    day = forms.DateField(required=False)


def test_a_form_is_keyed_by_its_data_labels_and_choices():
    one, two = Static(QueryDict("kind=a")), Static(QueryDict("kind=b"))
    assert kept.form_key(one) is not None
    assert kept.form_key(one) == kept.form_key(Static(QueryDict("kind=a")))
    assert kept.form_key(one) != kept.form_key(two)
    relabelled = Static(QueryDict("kind=a"))
    relabelled.fields["kind"].choices = [("a", "Other A"), ("b", "B")]
    assert kept.form_key(relabelled) != kept.form_key(one)
    narrowed = Static(QueryDict("kind=a"))
    del narrowed.fields["day"]
    assert kept.form_key(narrowed) != kept.form_key(one)
    assert kept.form_key(None) is None


@pytest.mark.django_db
def test_a_form_with_choices_from_the_database_is_never_kept():
    from stations.models import Station

    class ByStation(forms.Form):
        station = forms.ModelChoiceField(Station.objects.all(), required=False)

    class ByCallable(forms.Form):
        kind = forms.ChoiceField(choices=lambda: [("a", "A")], required=False)

    assert kept.form_key(ByStation(QueryDict(""))) is None
    assert kept.form_key(ByCallable(QueryDict(""))) is None


def test_django_filter_choices_are_read_through_its_iterator():
    from funding.filters import SpendingFilter
    from funding.models import Spending

    form = SpendingFilter(QueryDict("category=office"), queryset=Spending.objects.none()).form
    key = kept.form_key(form)
    assert key is not None
    assert key != kept.form_key(SpendingFilter(QueryDict("category=other"), queryset=Spending.objects.none()).form)


@pytest.mark.django_db
def test_the_spending_filter_and_menu_show_each_reader_their_own(client_for, org):
    """The list's filter keeps the value asked for and the language; the money menu the reader's capabilities."""
    director = client_for("director")
    page = director.get("/funding/spending/?category=office").content.decode()
    assert '<option value="office" selected>' in page
    page = director.get("/funding/spending/?category=training").content.decode()
    assert '<option value="office" selected>' not in page
    director.get("/funding/spending/")
    from accounts.models import User

    bookkeeper = User.objects.create_user("bookkeeper", password="x", full_name="记账员")
    bookkeeper.user_permissions.add(Permission.objects.get(codename="funding_manage"))
    from django.test import Client

    c = Client()
    c.force_login(bookkeeper)
    page = c.get("/funding/spending/").content.decode()
    assert "/funding/budgets/" in page
    assert "/funding/subsidies/" not in page, "the director's menu, kept, is not shown to a reader without subsidies"
    assert "/funding/subsidies/" in director.get("/funding/spending/").content.decode()
    chinese = director.get("/funding/spending/?category=office").content.decode()
    english = director.get("/funding/spending/?category=office", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="office" selected>办公</option>' in chinese
    assert '<option value="office" selected>Office</option>' in english
