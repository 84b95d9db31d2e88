"""`{% url %}` as Django's, with each address kept once made (a builtin of the template engine, so every
template's `{% url %}` is this one).

Django works an address out afresh at every `{% url %}`: some 15 µs each, fifty on a list page (its menu and a
link per row). The URLconf does not change while a process runs, so an address is the same for the same name,
arguments, URLconf, script prefix and language; it is kept under all of them (4,096 at most, the least used
dropped). Arguments other than numbers and text (a model instance's `str()` may change) are worked out each time.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()


def _plain(value) -> bool:
    return type(value) is int or isinstance(value, str)


@lru_cache(maxsize=4096)
def _kept(view_name: str, args: tuple, kwargs: tuple, current_app, urlconf, prefix: str, language) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app, urlconf=urlconf)


def address(view_name, args: tuple, kwargs: dict, current_app=None) -> str:
    """reverse(), kept when every argument is a whole number or text."""
    if isinstance(view_name, str) and all(_plain(a) for a in args) and all(_plain(v) for v in kwargs.values()):
        return _kept(view_name, args, tuple(sorted(kwargs.items())), current_app, get_urlconf(),
                     get_script_prefix(), get_language())
    return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


class URLNode(defaulttags.URLNode):
    def render(self, context):
        from django.urls import NoReverseMatch

        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = address(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
