"""A small universe of organisations and users, built by calling the actions (as the app does).

Alliance North: PCN N1 (practices P1, P2), PCN N2 (practice P3). Alliance South: PCN S1 (practice Q1).
One user per role, each holding the role at the organisation the role is usually held in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpcn.accounts import actions as account_actions
from openpcn.accounts.models import User
from openpcn.organisations import actions
from openpcn.organisations.models import Organisation

PASSWORD = "a-long-test-password-2026"
START = dt.date(2020, 4, 1)

# Where each role is held in the universe.
ROLE_HOME = {
    "alliance_admin": "north",
    "alliance_analyst": "north",
    "board_member": "north",
    "finance_officer": "north",
    "pcn_manager": "n1",
    "clinical_director": "n1",
    "practice_manager": "p1",
    "clinician": "p1",
}


@dataclass
class Universe:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Organisation:
        try:
            return self.__dict__["orgs"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def build_universe() -> Universe:
    u = Universe()
    north = actions.create_alliance(by=None, name="North Alliance")
    south = actions.create_alliance(by=None, name="South Alliance")
    place = actions.create_place(by=None, alliance=north, name="North Place")
    n1 = actions.create_network(
        by=None, alliance=north, place=place, name="N1 PCN", ods_code="UN001"
    )
    n2 = actions.create_network(
        by=None, alliance=north, place=place, name="N2 PCN", ods_code="UN002"
    )
    s1 = actions.create_network(by=None, alliance=south, name="S1 PCN", ods_code="US001")
    u.orgs.update(north=north, south=south, place=place, n1=n1, n2=n2, s1=s1)
    for key, network, code in (
        ("p1", n1, "P00001"),
        ("p2", n1, "P00002"),
        ("p3", n2, "P00003"),
        ("q1", s1, "Q00001"),
    ):
        practice = actions.create_practice(
            by=None, alliance=network.alliance, name=f"{key.upper()} Surgery", ods_code=code
        )
        actions.join_network(by=None, practice=practice, network=network, start_date=START)
        actions.record_population_snapshot(
            by=None,
            practice=practice,
            date=dt.date(2026, 1, 1),
            registered=1000 * int(key[1]),
        )
        u.orgs[key] = practice
    for role, home in ROLE_HOME.items():
        user = account_actions.create_user(by=None, username=role, password=PASSWORD)
        account_actions.grant_membership(
            by=None, user=user, organisation=u.orgs[home], role=role, start_date=START
        )
        u.users[role] = user
    outsider = account_actions.create_user(by=None, username="south_admin", password=PASSWORD)
    account_actions.grant_membership(
        by=None, user=outsider, organisation=south, role="alliance_admin", start_date=START
    )
    u.users["south_admin"] = outsider
    return u
