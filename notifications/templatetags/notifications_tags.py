from django import template

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    """The top bar's bell: the person's unread count (cached; see selectors.unread_count)."""
    from ..selectors import unread_count

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"unread": unread_count(user) if user is not None else 0}
