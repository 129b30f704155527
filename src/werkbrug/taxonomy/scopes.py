"""The taxonomy is public reference data: every logged-in user may read it."""

from werkbrug.core.access import scope_rule
from werkbrug.taxonomy.models import Occupation, Skill

scope_rule(Occupation)(lambda actor: True)
scope_rule(Skill)(lambda actor: True)
