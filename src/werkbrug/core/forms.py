from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from werkbrug.core.selectors import AuditFilter, audited_content_types


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False)
    content_type = forms.ModelChoiceField(
        label=_("Record type"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("All types"),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_uuid = forms.UUIDField(label=_("Record id"), required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("Until"), required=False)

    def __init__(self, *args: object, actions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["content_type"].queryset = audited_content_types()
        self.fields["action"].choices = [("", _("All actions")), *actions]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("'Until' cannot be before 'From'."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            user=data.get("user") or "",
            content_type=data.get("content_type"),
            action=data.get("action") or "",
            object_uuid=data.get("object_uuid"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class PlainSelect(forms.Select):
    """A ``<select>`` written in one pass instead of one template per option.

    Django renders every option through its own template; for the region's staff list (1,500
    options at national scale) that alone took over 100 ms of a dashboard. The HTML is the same
    as ``forms.Select``'s for flat choices: the attributes the form adds (id, required,
    aria-*) and the selected option. Grouped choices are not supported.
    """

    def render(self, name: str, value: object, attrs: dict | None = None, renderer=None) -> str:  # type: ignore[override]
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option), mark_safe(" selected") if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)
