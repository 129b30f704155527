"""``{% submission_field %}``: the one-time submission id of a form (see core/once.py)."""

from django import template
from django.utils.html import format_html

from werkbrug.core.once import FIELD, new_id

register = template.Library()


@register.simple_tag
def submission_field() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_id())
