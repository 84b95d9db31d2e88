from django import template

from funding.money import amount_in_words

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def in_words(value) -> str:
    return amount_in_words(value or 0)
