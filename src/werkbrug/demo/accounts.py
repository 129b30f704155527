"""The demo log-ins: one per role, password ``demo-werkbrug``, only ever created in demo mode."""

from __future__ import annotations

from dataclasses import dataclass

from werkbrug.core.roles import Role

DEMO_PASSWORD = "demo-werkbrug"  # noqa: S105 - published demo password, demo mode only


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    label: str
    first_name: str
    last_name: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("relatiemanager", Role.RELATIONSHIP_MANAGER, "relatiemanager", "Sanne", "de Vries"),
    DemoUser("klantmanager", Role.CLIENT_MANAGER, "klantmanager", "Bram", "Jansen"),
    DemoUser("teamleider", Role.TEAM_LEAD, "teamleider", "Fatima", "El Idrissi"),
    DemoUser("onderzoeker", Role.RESEARCHER, "onderzoeker", "Joost", "van Dijk"),
    DemoUser("beheerder", Role.FUNCTIONAL_ADMIN, "functioneel beheerder", "Marieke", "Peters"),
    DemoUser("werkgever", Role.EMPLOYER_CONTACT, "werkgever", "Henk", "Willems"),
    DemoUser("kandidaat", Role.CANDIDATE, "kandidaat", "Anouk", "Bakker"),
    DemoUser("uwv", Role.UWV_PARTNER, "UWV-partner", "Kees", "Hendriks"),
)
