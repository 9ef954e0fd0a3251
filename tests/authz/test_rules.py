"""Permission checks, the grant index and the invariants of grants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.authz import (
    CHANGE_SERVICES,
    DEFAULT_ROLE_MODEL,
    HOLDER,
    INVITE_USERS,
    ORDER_SERVICES,
    ORDERER,
    REMOVE_USERS,
    USER,
    USER_ADMIN,
    VIEW_CONSUMPTION,
    VIEW_CONTRACTS,
    VIEW_INVOICES,
    CustomerRelationship,
    Grant,
    GrantId,
    GrantIndex,
    RelationshipKind,
    RoleModel,
    active_roles,
    can_manage_users,
    check_can_grant,
    check_can_remove,
    check_holder_remains,
    check_permission,
    confirm_removal,
    permissions_of,
    relationships_of,
    request_removal,
)
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.ports import next_version
from selfcare.testing.strategies._authz import account_ids, grants, relationship_ids, roles
from selfcare.testing.strategies._core import aware_datetimes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
REL = RelationshipId("rel-1")
ANNA = AccountId("anna")  # holder
PEKKA = AccountId("pekka")  # spouse
LIISA = AccountId("liisa")  # user admin


def grant(gid: str, user: AccountId, role: str, **extra: object) -> Grant:
    fields: dict[str, object] = {
        "id": GrantId(gid),
        "user": user,
        "relationship_id": REL,
        "role": role,
        "granted_at": T0,
    }
    fields.update(extra)
    return Grant(**fields)  # type: ignore[arg-type]


HOUSE = (
    grant("g-anna", ANNA, HOLDER),
    grant("g-pekka", PEKKA, USER, granted_by=ANNA),
    grant("g-liisa", LIISA, USER_ADMIN, granted_by=ANNA),
)


# -- the default role model ------------------------------------------------------------


def test_default_roles_follow_seed_003() -> None:
    model = DEFAULT_ROLE_MODEL
    assert model.permissions_of(USER) == {VIEW_CONTRACTS, VIEW_INVOICES, VIEW_CONSUMPTION}
    assert model.permissions_of(ORDERER) == model.permissions_of(USER) | {
        ORDER_SERVICES,
        CHANGE_SERVICES,
    }
    assert {INVITE_USERS, REMOVE_USERS} <= model.permissions_of(USER_ADMIN)
    assert model.permissions_of(HOLDER) >= model.permissions_of(USER_ADMIN)
    assert model.permissions_of("stranger") == frozenset()


def test_only_holders_and_user_admins_may_manage_users_in_the_default_model() -> None:
    managers = {
        r for r in DEFAULT_ROLE_MODEL.roles if DEFAULT_ROLE_MODEL.has_permission(r, INVITE_USERS)
    }
    assert managers == {HOLDER, USER_ADMIN}
    assert DEFAULT_ROLE_MODEL.grantable_by([USER, ORDERER]) == frozenset()


def test_a_role_model_refuses_escalation_holder_grants_and_unknown_roles() -> None:
    with pytest.raises(SelfcareError) as caught:
        RoleModel(
            permissions={"holder": {"view", "invite_users"}, "helper": {"view"}, "boss": {"all"}},
            grantable={"holder": {"boss", "holder", "ghost"}, "helper": {"helper"}, "nobody": {}},
        )
    assert caught.value.codes == (
        "authz.escalation",
        "authz.unknown_role",
        "authz.holder_grantable",
        "authz.grant_without_manage_permission",
        "authz.unknown_role",
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"grantable": {"g" * 63 + "x" + "g" * 36: {}}},  # an unknown granter
        {"grantable": {"holder": {"g" * 63 + "x" + "g" * 36}}},  # an unknown grantee
        {"grantable": {}, "holder_role": "g" * 63 + "x" + "g" * 36},  # an unknown holder
    ],
)
def test_a_role_model_echoes_an_unknown_role_cut_to_64_characters(kwargs: dict[str, Any]) -> None:
    with pytest.raises(SelfcareError) as caught:
        RoleModel(permissions={"holder": {"view", "invite_users"}}, **kwargs)
    assert caught.value.codes == ("authz.unknown_role",)
    assert caught.value.violations[0].params == {"role": "g" * 63 + "x"}


def test_a_role_model_needs_its_holder_role_and_snake_case_names() -> None:
    with pytest.raises(SelfcareError) as caught:
        RoleModel(permissions={"Owner": {"View Things"}}, grantable={}, manage_permission="x y")
    assert caught.value.codes == (
        "authz.invalid_name",
        "authz.invalid_name",
        "authz.invalid_name",
        "authz.unknown_role",
    )


def test_role_models_compare_by_content() -> None:
    same = RoleModel(
        permissions=dict(DEFAULT_ROLE_MODEL.permissions),
        grantable=dict(DEFAULT_ROLE_MODEL.grantable),
    )
    assert same == DEFAULT_ROLE_MODEL
    assert hash(same) == hash(DEFAULT_ROLE_MODEL)
    assert same != RoleModel(permissions={"holder": {"x"}}, grantable={})
    assert same.__eq__("holder") is NotImplemented


def test_relationship_kind_is_stored_as_plain_text() -> None:
    rel = CustomerRelationship(
        id=REL, customer_number=CustomerNumber("1"), kind=RelationshipKind.CORPORATE_MOBILE
    )
    assert type(rel.kind) is str
    assert rel == CustomerRelationship(
        id=REL, customer_number=CustomerNumber("1"), kind="corporate_mobile"
    )
    with pytest.raises(SelfcareError, match="not a valid"):
        CustomerRelationship(id=REL, customer_number=CustomerNumber("1"), kind="Electricity!")
    with pytest.raises(SelfcareError) as caught:
        CustomerRelationship(id=RelationshipId(""), customer_number=CustomerNumber("1"), kind="gas")
    assert caught.value.codes == ("authz.invalid_id",)


def test_a_grant_cannot_end_before_it_starts_or_use_naive_times() -> None:
    with pytest.raises(SelfcareError) as caught:
        grant("g", ANNA, USER, valid_until=T0)
    assert caught.value.codes == ("authz.invalid_validity",)
    with pytest.raises(SelfcareError) as caught:
        grant("g", ANNA, USER, granted_at=datetime(2026, 1, 1))  # noqa: DTZ001
    assert caught.value.codes == ("time.naive_datetime",)
    with pytest.raises(SelfcareError):
        grant("g", ANNA, "Not A Role")


# -- check_permission ------------------------------------------------------------------


def test_an_allowed_check_names_the_grant() -> None:
    decision = check_permission(PEKKA, VIEW_INVOICES, REL, HOUSE, now=NOW)
    assert decision.allowed
    assert decision.reason == "grant:g-pekka"


def test_a_user_without_any_grant_is_refused_with_no_grant() -> None:
    decision = check_permission(AccountId("eve"), VIEW_INVOICES, REL, HOUSE, now=NOW)
    assert decision.codes == ("authz.no_grant",)
    other = check_permission(PEKKA, VIEW_INVOICES, RelationshipId("rel-2"), HOUSE, now=NOW)
    assert other.codes == ("authz.no_grant",)
    assert "no authorization" in decision.messages("en")[0]


def test_a_role_without_the_permission_is_refused() -> None:
    decision = check_permission(PEKKA, ORDER_SERVICES, REL, HOUSE, now=NOW)
    assert decision.codes == ("authz.role_lacks_permission",)
    assert decision.violations[0].params["roles"] == ("user",)


def test_revoked_and_expired_grants_are_named() -> None:
    revoked = grant("g-r", PEKKA, ORDERER, revoked_at=NOW - timedelta(days=1))
    expired = grant("g-e", PEKKA, ORDERER, valid_until=NOW - timedelta(seconds=1))
    decision = check_permission(PEKKA, ORDER_SERVICES, REL, [revoked, expired], now=NOW)
    assert decision.codes == ("authz.grant_revoked", "authz.grant_expired")
    assert decision.violations[0].params == {"grant": "g-r"}
    assert decision.violations[1].params == {
        "grant": "g-e",
        "until": (NOW - timedelta(seconds=1)).isoformat(),
    }
    # Together with an active grant that lacks the permission, every reason is listed.
    mixed = check_permission(PEKKA, ORDER_SERVICES, REL, [*HOUSE, revoked], now=NOW)
    assert mixed.codes == ("authz.grant_revoked", "authz.role_lacks_permission")
    # Inactive grants that would not have allowed it anyway still explain the refusal.
    only = check_permission(
        PEKKA, INVITE_USERS, REL, [grant("g-x", PEKKA, USER, revoked_at=T0 + timedelta(1))], now=NOW
    )
    assert only.codes == ("authz.grant_revoked",)


def test_a_grant_is_valid_until_but_not_at_its_end_and_revocation_counts_from_its_time() -> None:
    limited = grant("g-l", PEKKA, USER, valid_until=NOW)
    assert not check_permission(PEKKA, VIEW_INVOICES, REL, [limited], now=NOW)
    assert check_permission(
        PEKKA, VIEW_INVOICES, REL, [limited], now=NOW - timedelta(microseconds=1)
    )
    revoked = grant("g-r", PEKKA, USER, revoked_at=NOW)
    assert check_permission(PEKKA, VIEW_INVOICES, REL, [revoked], now=NOW - timedelta(seconds=1))
    assert not check_permission(PEKKA, VIEW_INVOICES, REL, [revoked], now=NOW)


def test_a_grant_made_after_now_does_not_count() -> None:
    future = grant("g-f", PEKKA, USER, granted_at=NOW + timedelta(days=1))
    assert check_permission(PEKKA, VIEW_INVOICES, REL, [future], now=NOW).codes == (
        "authz.no_grant",
    )


def test_a_not_yet_started_grant_listed_before_an_active_one_does_not_hide_it() -> None:
    future = grant("g-f", PEKKA, ORDERER, granted_at=NOW + timedelta(days=1))
    active = grant("g-a", PEKKA, USER)
    for listed in ([future, active], [active, future]):
        decision = check_permission(PEKKA, VIEW_INVOICES, REL, listed, now=NOW)
        assert decision.reason == "grant:g-a"
        # The future grant's role does not count as lacking (or having) the permission.
        lacking = check_permission(PEKKA, ORDER_SERVICES, REL, listed, now=NOW)
        assert lacking.codes == ("authz.role_lacks_permission",)
        assert lacking.violations[0].params["roles"] == ("user",)
        assert GrantIndex(listed).check(PEKKA, VIEW_INVOICES, REL, now=NOW) == decision


def test_a_grant_counts_from_the_moment_it_is_granted() -> None:
    starting = grant("g-s", PEKKA, USER, granted_at=NOW)
    assert check_permission(PEKKA, VIEW_INVOICES, REL, [starting], now=NOW).reason == "grant:g-s"
    before = check_permission(
        PEKKA, VIEW_INVOICES, REL, [starting], now=NOW - timedelta(microseconds=1)
    )
    assert before.codes == ("authz.no_grant",)


def test_an_unknown_role_is_echoed_cut_to_64_characters() -> None:
    typed = "r" * 63 + "X" + "y" * 100
    decision = check_can_grant(ANNA, [typed, "q" * 64], REL, HOUSE, now=NOW)
    assert decision.codes == ("authz.unknown_role", "authz.unknown_role")
    assert [v.params["role"] for v in decision.violations] == ["q" * 64, "r" * 63 + "X"]


def test_checks_refuse_naive_times() -> None:
    naive = datetime(2026, 3, 1)  # noqa: DTZ001
    for call in (
        lambda: check_permission(PEKKA, VIEW_INVOICES, REL, HOUSE, now=naive),
        lambda: GrantIndex(HOUSE).check(PEKKA, VIEW_INVOICES, REL, now=naive),
        lambda: relationships_of(PEKKA, HOUSE, now=naive),
    ):
        with pytest.raises(SelfcareError) as caught:
            call()
        assert caught.value.codes == ("time.naive_datetime",)


def test_permissions_and_relationships_of_a_user() -> None:
    assert permissions_of(PEKKA, REL, HOUSE, now=NOW) == DEFAULT_ROLE_MODEL.permissions_of(USER)
    both = [*HOUSE, grant("g-o", PEKKA, ORDERER)]
    assert ORDER_SERVICES in permissions_of(PEKKA, REL, both, now=NOW)
    other = Grant(
        id=GrantId("g-2"),
        user=PEKKA,
        relationship_id=RelationshipId("rel-2"),
        role=USER,
        granted_at=T0,
        revoked_at=T0 + timedelta(days=1),
    )
    assert relationships_of(PEKKA, [*HOUSE, other], now=NOW) == {REL}
    assert relationships_of(PEKKA, [*HOUSE, other], now=T0 + timedelta(hours=1)) == {
        REL,
        RelationshipId("rel-2"),
    }
    index = GrantIndex([*HOUSE, other])
    assert index.relationships_of(PEKKA, now=NOW) == {REL}
    assert index.permissions_of(PEKKA, REL, now=NOW) == permissions_of(PEKKA, REL, HOUSE, now=NOW)
    assert len(index) == 4
    assert index.grants_of(PEKKA, REL) == (HOUSE[1],)


def _pool() -> st.SearchStrategy[list[Grant]]:
    small_users = st.sampled_from([ANNA, PEKKA, LIISA])
    small_rels = st.sampled_from([REL, RelationshipId("rel-2")])
    return st.lists(grants(small_users, small_rels), max_size=12, unique_by=lambda g: g.id)


@given(
    pool=_pool(),
    user=st.sampled_from([ANNA, PEKKA, LIISA]),
    perm=st.sampled_from(sorted(DEFAULT_ROLE_MODEL.permissions_of(HOLDER))),
    now=aware_datetimes(),
)
def test_the_index_answers_exactly_like_the_plain_check(
    pool: list[Grant], user: AccountId, perm: str, now: datetime
) -> None:
    index = GrantIndex(pool)
    assert index.check(user, perm, REL, now=now) == check_permission(user, perm, REL, pool, now=now)


@given(
    pool=_pool(),
    perm=st.sampled_from(sorted(DEFAULT_ROLE_MODEL.permissions_of(HOLDER))),
    now=aware_datetimes(),
)
def test_a_revoked_or_expired_grant_allows_nothing(
    pool: list[Grant], perm: str, now: datetime
) -> None:
    for user in (ANNA, PEKKA, LIISA):
        decision = check_permission(user, perm, REL, pool, now=now)
        if decision:
            assert decision.reason is not None
            used = next(g for g in pool if f"grant:{g.id}" == decision.reason)
            assert used.is_active(now)
            assert not used.is_revoked(now)
            assert not used.is_expired(now)
            assert DEFAULT_ROLE_MODEL.has_permission(used.role, perm)
        else:
            active = [
                g for g in pool if g.user == user and g.relationship_id == REL and g.is_active(now)
            ]
            assert not any(DEFAULT_ROLE_MODEL.has_permission(g.role, perm) for g in active)


# -- managing users: no escalation, at least one holder ---------------------------------


def test_only_holders_and_user_admins_manage_users() -> None:
    assert can_manage_users(ANNA, REL, HOUSE, now=NOW).reason == "grant:g-anna"
    assert can_manage_users(LIISA, REL, HOUSE, now=NOW)
    assert can_manage_users(PEKKA, REL, HOUSE, now=NOW).codes == ("authz.cannot_manage_users",)


def test_nobody_grants_a_role_they_could_not_exercise() -> None:
    assert check_can_grant(ANNA, [USER, ORDERER, USER_ADMIN], REL, HOUSE, now=NOW)
    decision = check_can_grant(ANNA, [HOLDER, "ghost"], REL, HOUSE, now=NOW)
    assert decision.codes == ("authz.unknown_role", "authz.holder_not_grantable")
    assert check_can_grant(PEKKA, [USER], REL, HOUSE, now=NOW).codes == (
        "authz.cannot_manage_users",
    )
    narrow = RoleModel(
        permissions={
            "holder": {"view_contracts", "order_services", "invite_users", "remove_users"},
            "helper": {"view_contracts", "invite_users"},
            "orderer": {"view_contracts", "order_services"},
        },
        grantable={"holder": {"helper", "orderer"}, "helper": {"helper"}},
    )
    helper = grant("g-h", PEKKA, "helper")
    assert check_can_grant(PEKKA, ["orderer"], REL, [helper], now=NOW, model=narrow).codes == (
        "authz.escalation",
    )


@given(
    pool=_pool(),
    granter=st.sampled_from([ANNA, PEKKA, LIISA]),
    wanted=st.frozensets(roles(), min_size=1),
    now=aware_datetimes(),
)
def test_no_escalation_holds_for_any_grants(
    pool: list[Grant], granter: AccountId, wanted: frozenset[str], now: datetime
) -> None:
    decision = check_can_grant(granter, wanted, REL, pool, now=now)
    if decision:
        own = permissions_of(granter, REL, pool, now=now)
        assert INVITE_USERS in own
        assert HOLDER not in wanted
        for role in wanted:
            assert DEFAULT_ROLE_MODEL.permissions_of(role) <= own


def test_the_last_holder_cannot_be_removed() -> None:
    assert check_holder_remains(REL, HOUSE, removing=[GrantId("g-anna")], now=NOW).codes == (
        "authz.last_holder",
    )
    second = grant("g-2", PEKKA, HOLDER)
    assert check_holder_remains(REL, [*HOUSE, second], removing=[GrantId("g-anna")], now=NOW)
    decision = check_can_remove(ANNA, ANNA, REL, [HOLDER], HOUSE, now=NOW)
    assert decision.codes == ("authz.last_holder",)
    assert check_can_remove(ANNA, ANNA, REL, [HOLDER], [*HOUSE, second], now=NOW)


@given(
    pool=_pool(),
    user=st.sampled_from([ANNA, PEKKA, LIISA]),
    remover=st.sampled_from([ANNA, PEKKA, LIISA]),
    wanted=st.frozensets(roles(), min_size=1),
    now=aware_datetimes(),
)
def test_an_allowed_removal_always_leaves_a_holder_if_there_was_one(
    pool: list[Grant], user: AccountId, remover: AccountId, wanted: frozenset[str], now: datetime
) -> None:
    if not check_can_remove(remover, user, REL, wanted, pool, now=now):
        return
    request = request_removal(user, REL, wanted, pool, by=remover, now=now).unwrap()
    confirmed = confirm_removal(request, pool, by=remover, now=now).unwrap()
    revoked = {g.id: g for g in confirmed}
    after = [revoked.get(g.id, g) for g in pool]
    holders_before = [
        g for g in pool if g.role == HOLDER and g.is_active(now) and g.relationship_id == REL
    ]
    holders_after = [
        g for g in after if g.role == HOLDER and g.is_active(now) and g.relationship_id == REL
    ]
    if holders_before:
        assert holders_after
    assert not active_roles(user, REL, after, now=now) & wanted


def test_removing_roles_is_checked_and_then_confirmed_as_its_own_step() -> None:
    orderer = grant("g-po", PEKKA, ORDERER, granted_by=ANNA)
    pool = [*HOUSE, orderer]
    request = request_removal(PEKKA, REL, [ORDERER, USER], pool, by=ANNA, now=NOW).unwrap()
    assert {g.id for g in request.grants} == {"g-pekka", "g-po"}
    # Nothing has changed until the confirmation.
    assert check_permission(PEKKA, ORDER_SERVICES, REL, pool, now=NOW)
    revoked = confirm_removal(request, pool, by=ANNA, now=NOW).unwrap()
    assert all(g.revoked_at == NOW and g.revoked_by == ANNA and g.version == 2 for g in revoked)
    after = [*HOUSE[:1], HOUSE[2], *revoked]
    assert check_permission(PEKKA, VIEW_INVOICES, REL, after, now=NOW).codes == (
        "authz.grant_revoked",
        "authz.grant_revoked",
    )


def test_removal_refusals() -> None:
    assert request_removal(PEKKA, REL, [ORDERER], HOUSE, by=ANNA, now=NOW).codes == (
        "authz.role_not_held",
    )
    assert request_removal(ANNA, REL, [HOLDER], HOUSE, by=LIISA, now=NOW).codes == (
        "authz.escalation",
        "authz.last_holder",
    )
    assert request_removal(ANNA, REL, [USER], HOUSE, by=PEKKA, now=NOW).codes == (
        "authz.cannot_manage_users",
    )
    assert request_removal(PEKKA, REL, [], HOUSE, by=ANNA, now=NOW).codes == (
        "authz.no_roles_selected",
    )
    # Anyone may give up their own role.
    mine = request_removal(PEKKA, REL, [USER], HOUSE, by=PEKKA, now=NOW)
    assert mine.unwrap().grants == (HOUSE[1],)


def test_a_confirmation_is_refused_when_someone_else_confirms_or_the_grants_changed() -> None:
    request = request_removal(PEKKA, REL, [USER], HOUSE, by=ANNA, now=NOW).unwrap()
    assert confirm_removal(request, HOUSE, by=LIISA, now=NOW).codes == ("authz.removal_not_yours",)
    changed = [HOUSE[0], next_version(HOUSE[1], valid_until=NOW + timedelta(days=9)), HOUSE[2]]
    assert confirm_removal(request, changed, by=ANNA, now=NOW).codes == ("authz.removal_outdated",)
    # The checks run again: the holder lost the right to remove users in between.
    gone = [next_version(HOUSE[0], revoked_at=NOW), HOUSE[1], HOUSE[2], grant("g-x", LIISA, HOLDER)]
    assert confirm_removal(request, gone, by=ANNA, now=NOW).codes == ("authz.cannot_manage_users",)


@given(user=account_ids(), rel=relationship_ids())
def test_every_refusal_renders_in_every_language(user: AccountId, rel: RelationshipId) -> None:
    decision = check_permission(user, VIEW_INVOICES, rel, HOUSE, now=NOW)
    for lang in ("en", "fi", "sv", "nb"):
        assert all(decision.messages(lang))


def test_linking_counts_only_records_with_the_code_on_file_and_links_a_holder_once() -> None:
    from datetime import UTC, date, datetime  # noqa: PLC0415

    from selfcare.authz.linking import (  # noqa: PLC0415
        holder_grant_lacking,
        new_relationship,
        records_on_file,
        relationship_kind,
    )
    from selfcare.authz.roles import DEFAULT_ROLE_MODEL  # noqa: PLC0415
    from selfcare.core.ids import AccountId, RelationshipId  # noqa: PLC0415
    from selfcare.identity.customer_records import CustomerRecord  # noqa: PLC0415
    from selfcare.identity.national_id import Country, parse_national_id  # noqa: PLC0415
    from selfcare.testing.fakes import SequentialIds  # noqa: PLC0415

    now = datetime(2026, 3, 2, 8, tzinfo=UTC)
    anna = parse_national_id("131052-308T", Country.FI, today=date(2026, 3, 2))
    mine = CustomerRecord(
        customer_number=" 100 ", kind="District Heating", national_ids_on_file=(anna,)
    )
    named_only = CustomerRecord(
        customer_number="200", kind="electricity", names_on_invoice=("Anna",)
    )
    assert records_on_file([mine, named_only], anna) == [mine]
    assert relationship_kind(mine) == "district_heating"
    relationship = new_relationship(mine, ids=SequentialIds("rel"))
    assert relationship.customer_number == "100"
    first = holder_grant_lacking(
        AccountId("anna"),
        relationship.id,
        [],
        model=DEFAULT_ROLE_MODEL,
        ids=SequentialIds("g"),
        now=now,
    )
    assert first is not None
    assert first.role == DEFAULT_ROLE_MODEL.holder_role
    again = holder_grant_lacking(
        AccountId("anna"),
        RelationshipId(relationship.id),
        [first],
        model=DEFAULT_ROLE_MODEL,
        ids=SequentialIds("g"),
        now=now,
    )
    assert again is None
