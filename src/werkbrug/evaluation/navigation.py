"""Menu entry of the evaluation app (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Evaluation"), "evaluation:index", "evaluation.research", order=19),
    navigation.NavItem(_("Complaints"), "evaluation:complaints", "evaluation.complaints", order=21),
)
