"""The roles a Werkbrug user can hold (a user may hold several).

Role codes are the Dutch names people use at work; the English constant names map them to the
glossary in the domain guide (`relationship_manager` = relatiemanager, and so on).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RELATIONSHIP_MANAGER = "relatiemanager", _("Relationship manager")
    CLIENT_MANAGER = "klantmanager", _("Client manager")
    TEAM_LEAD = "teamleider", _("Team lead")
    RESEARCHER = "onderzoeker", _("Policy researcher")
    FUNCTIONAL_ADMIN = "beheerder", _("Functional administrator")
    EMPLOYER_CONTACT = "werkgever", _("Employer")
    CANDIDATE = "kandidaat", _("Candidate")
    UWV_PARTNER = "uwv_partner", _("UWV partner")


#: Roles held by people who work for a municipality, werkbedrijf or UWV. They need a Staff
#: record (organisation, municipality) and two-factor authentication.
STAFF_ROLES: frozenset[str] = frozenset(
    {
        Role.RELATIONSHIP_MANAGER,
        Role.CLIENT_MANAGER,
        Role.TEAM_LEAD,
        Role.RESEARCHER,
        Role.FUNCTIONAL_ADMIN,
        Role.UWV_PARTNER,
    }
)

#: Roles of people outside the organisation, who see only their own company or themselves.
PORTAL_ROLES: frozenset[str] = frozenset({Role.EMPLOYER_CONTACT, Role.CANDIDATE})

#: The order in which a user holding several roles gets their home page.
HOME_PRIORITY: tuple[str, ...] = (
    Role.FUNCTIONAL_ADMIN,
    Role.TEAM_LEAD,
    Role.RELATIONSHIP_MANAGER,
    Role.CLIENT_MANAGER,
    Role.UWV_PARTNER,
    Role.RESEARCHER,
    Role.EMPLOYER_CONTACT,
    Role.CANDIDATE,
)
