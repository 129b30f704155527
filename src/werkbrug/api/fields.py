"""Serializer pieces shared by the apps' APIs.

``plausible_moment`` guards every date-time the API takes. A moment in Werkbrug's working life
(a contact, a question, a meeting, an introduction) lies between 2000 and 2100; anything else is
a typing error. It also keeps answers readable: before 1937 Amsterdam's local mean time was
+00:19:32, an offset in seconds that ISO 8601 and RFC 3339 cannot write, so a moment in 1243
came back as a date-time no client can read.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from rest_framework import serializers

EARLIEST_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def plausible_moment(value: dt.datetime) -> None:
    if value.tzinfo is not None and not EARLIEST_MOMENT <= value < LATEST_MOMENT:
        raise serializers.ValidationError(_("Give a date and time between 2000 and 2100."))
