from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Money, SelfcareError
from selfcare.billing import (
    BillingAgreement,
    BillingMethod,
    BillingPeriod,
    ChargeKind,
    Invoice,
    InvoiceLine,
    MobilePolicy,
    PriceBasis,
    QuotedCharge,
    check_billing_agreement,
    deduction_statement,
    has_valid_billing_agreement,
    payer_split,
    valid_billing_agreement,
)
from selfcare.core.ids import CustomerNumber
from selfcare.core.ports import next_version
from selfcare.testing.strategies._billing import mobile_policies, quoted_charges


def agreement(start: date, end: date | None = None, payer: str = "C-1") -> BillingAgreement:
    return BillingAgreement(
        agreement_id="ba-1",
        payer=CustomerNumber(payer),
        method=BillingMethod.E_INVOICE,
        valid_from=start,
        valid_to=end,
    )


def test_a_billing_agreement_is_valid_from_its_first_to_its_last_day_in_the_operator_zone() -> None:
    agreements = [agreement(date(2026, 4, 1), date(2026, 4, 30))]
    # 21:30 UTC on 31 March is 00:30 on 1 April in Helsinki, 23:30 on 31 March in Stockholm.
    assert has_valid_billing_agreement(
        agreements, "C-1", now=datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    )
    assert not has_valid_billing_agreement(
        agreements, "C-1", now=datetime(2026, 3, 31, 20, 0, tzinfo=UTC)
    )
    assert not has_valid_billing_agreement(
        agreements,
        "C-1",
        now=datetime(2026, 3, 31, 21, 30, tzinfo=UTC),
        zone=ZoneInfo("Europe/Stockholm"),
    )
    assert has_valid_billing_agreement(
        agreements, "C-1", now=datetime(2026, 4, 30, 20, 59, tzinfo=UTC)
    )
    assert not has_valid_billing_agreement(
        agreements, "C-1", now=datetime(2026, 4, 30, 21, 0, tzinfo=UTC)
    )


def test_the_decision_counts_days_in_the_operator_zone_too() -> None:
    agreements = [agreement(date(2026, 4, 1), date(2026, 4, 30))]
    # 00:30 on 1 April in Helsinki (the default zone), 23:30 on 31 March in Stockholm.
    first_hour = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    assert check_billing_agreement(agreements, "C-1", now=first_hour).allowed
    in_stockholm = check_billing_agreement(
        agreements, "C-1", now=first_hour, zone=ZoneInfo("Europe/Stockholm")
    )
    assert in_stockholm.codes == ("billing.no_valid_agreement",)
    assert not check_billing_agreement(
        agreements, "C-1", now=datetime(2026, 4, 30, 21, 0, tzinfo=UTC)
    ).allowed


def test_another_payers_agreement_does_not_count() -> None:
    now = datetime(2026, 4, 10, tzinfo=UTC)
    assert not has_valid_billing_agreement([agreement(date(2026, 1, 1))], "C-2", now=now)
    decision = check_billing_agreement([agreement(date(2026, 1, 1))], "C-2", now=now)
    assert decision.codes == ("billing.no_valid_agreement",)
    allowed = check_billing_agreement([agreement(date(2026, 1, 1))], "C-1", now=now)
    assert allowed.allowed
    assert allowed.reason == "billing_agreement:ba-1"


def test_without_any_agreement_there_is_none_in_force() -> None:
    now = datetime(2026, 4, 10, tzinfo=UTC)
    assert has_valid_billing_agreement([], "C-1", now=now) is False
    assert check_billing_agreement([], "C-1", now=now).codes == ("billing.no_valid_agreement",)


@pytest.mark.parametrize("expired_first", [True, False], ids=["expired first", "valid first"])
def test_one_agreement_in_force_is_enough_beside_an_expired_one(expired_first: bool) -> None:
    now = datetime(2026, 4, 10, tzinfo=UTC)
    expired = attrs.evolve(
        agreement(date(2025, 1, 1), date(2026, 3, 31)), agreement_id="ba-expired"
    )
    valid = attrs.evolve(agreement(date(2026, 4, 1)), agreement_id="ba-valid")
    agreements = [expired, valid] if expired_first else [valid, expired]
    assert has_valid_billing_agreement(agreements, "C-1", now=now) is True
    decision = check_billing_agreement(agreements, "C-1", now=now)
    assert decision.allowed
    assert decision.reason == "billing_agreement:ba-valid"
    assert valid_billing_agreement(agreements, "C-1", today=date(2026, 4, 10)) == valid
    assert has_valid_billing_agreement([expired], "C-1", now=now) is False


def test_an_agreement_is_in_force_on_its_first_and_last_day_only() -> None:
    april = agreement(date(2026, 4, 1), date(2026, 4, 30))
    assert not april.valid_on(date(2026, 3, 31))
    assert april.valid_on(date(2026, 4, 1))
    assert april.valid_on(date(2026, 4, 30))
    assert not april.valid_on(date(2026, 5, 1))
    until_further_notice = agreement(date(2026, 4, 1))
    assert until_further_notice.valid_on(date(2099, 12, 31))
    assert not until_further_notice.valid_on(date(2026, 3, 31))


def test_a_new_agreement_and_policy_start_at_version_1() -> None:
    # The repositories' compare-and-set counts from it (update stores version n over n - 1).
    first = agreement(date(2026, 4, 1))
    assert first.version == 1
    assert next_version(first, valid_to=date(2026, 4, 30)).version == 2
    assert POLICY.version == 1


def test_naive_now_is_refused() -> None:
    with pytest.raises(SelfcareError) as error:
        has_valid_billing_agreement([], "C-1", now=datetime(2026, 1, 1))  # noqa: DTZ001
    assert error.value.codes == ("time.naive_datetime",)
    with pytest.raises(SelfcareError):
        check_billing_agreement([], "C-1", now=datetime(2026, 1, 1))  # noqa: DTZ001


def test_agreement_validation() -> None:
    with pytest.raises(SelfcareError) as error:
        agreement(date(2026, 4, 2), date(2026, 4, 1))
    assert error.value.codes == ("billing.invalid_agreement_dates",)
    with pytest.raises(SelfcareError) as error:
        agreement(date(2026, 4, 1), payer="")
    assert error.value.codes == ("billing.invalid_text",)
    with pytest.raises(SelfcareError) as error:
        BillingAgreement(
            agreement_id="a", payer=CustomerNumber("c"), method="fax", valid_from=date(2026, 1, 1)
        )
    assert error.value.codes == ("billing.invalid_choice",)
    assert error.value.violations[0].params == {
        "field": "method",
        "allowed": ("e_invoice", "direct_payment", "email", "paper"),
    }


def nok(amount: str) -> Money:
    return Money(amount, "NOK")


POLICY = MobilePolicy(
    policy_id="p-1",
    employer="Trøndelag fylkeskommune",
    monthly_allowance=nok("100"),
    employer_paid={"bedrift_total_c_10gb"},
    employee_paid={"cloud_storage_50gb"},
)


def charge(offering: str, amount: str) -> QuotedCharge:
    return QuotedCharge(
        offering_id=offering, description=offering, msisdn="+4791234567", amount=nok(amount)
    )


def test_employer_paid_offerings_cost_the_employee_nothing() -> None:
    split = payer_split([charge("bedrift_total_c_10gb", "449")], POLICY, nok("0"))
    assert (split.employer_total, split.salary_deduction) == (nok("449"), nok("0"))
    assert split.allowance_left == nok("100")


def test_employee_paid_offerings_are_deducted_in_full() -> None:
    split = payer_split([charge("cloud_storage_50gb", "79")], POLICY, nok("0"))
    assert (split.employer_total, split.salary_deduction) == (nok("0"), nok("79"))


def test_other_offerings_use_what_is_left_of_the_allowance_then_salary() -> None:
    split = payer_split(
        [charge("extra_data_1gb", "49"), charge("extra_data_15gb", "199")], POLICY, nok("30")
    )
    assert [(line.employer, line.employee) for line in split.lines] == [
        (nok("49"), nok("0")),
        (nok("21"), nok("178")),
    ]
    assert split.salary_deduction == nok("178")
    assert split.allowance_left == nok("0")


def test_an_overspent_allowance_covers_nothing() -> None:
    split = payer_split([charge("extra_data_1gb", "49")], POLICY, nok("250"))
    assert split.salary_deduction == nok("49")


def test_payer_split_refuses_negative_spending_and_other_currencies() -> None:
    with pytest.raises(SelfcareError) as error:
        payer_split([], POLICY, nok("-1"))
    assert error.value.codes == ("billing.negative_price",)
    with pytest.raises(SelfcareError) as error:
        payer_split([charge("x", "1")], POLICY, Money("0", "EUR"))
    assert error.value.codes == ("money.currency_mismatch",)
    euro = QuotedCharge(offering_id="x", description="x", amount=Money("1", "EUR"))
    with pytest.raises(SelfcareError) as error:
        payer_split([euro], POLICY, nok("0"))
    assert error.value.codes == ("money.currency_mismatch",)


def test_policy_cannot_make_both_pay() -> None:
    with pytest.raises(SelfcareError) as error:
        MobilePolicy(
            policy_id="p",
            employer="e",
            monthly_allowance=nok("1"),
            employer_paid={"a", "b"},
            employee_paid={"b"},
        )
    assert error.value.codes == ("billing.overlapping_policy",)
    assert error.value.violations[0].params["offerings"] == ("b",)
    with pytest.raises(TypeError):
        MobilePolicy(policy_id="p", employer="e", monthly_allowance=nok("1"), employer_paid="ab")


@given(mobile_policies(), st.data())
def test_the_split_always_adds_up_and_never_exceeds_the_allowance(
    policy: MobilePolicy, data: st.DataObject
) -> None:
    currency = policy.monthly_allowance.currency
    offerings = [*sorted(policy.employer_paid | policy.employee_paid), "other-1", "other-2"]
    charges = data.draw(
        st.lists(
            st.builds(
                lambda c, o: QuotedCharge(
                    offering_id=o, description=c.description, msisdn=c.msisdn, amount=c.amount
                ),
                quoted_charges(currency),
                st.sampled_from(offerings),
            ),
            max_size=5,
        )
    )
    spent = Money(Decimal(data.draw(st.integers(0, 20_000))).scaleb(-2), currency)
    split = payer_split(charges, policy, spent)
    total = sum((c.amount for c in charges), Money.zero(currency))
    assert split.employer_total + split.salary_deduction == total
    for line in split.lines:
        assert line.employer + line.employee == line.charge.amount
        assert line.employer.amount >= 0
        assert line.employee.amount >= 0
    from_allowance = sum(
        (
            line.employer
            for line in split.lines
            if line.charge.offering_id not in policy.employer_paid
        ),
        Money.zero(currency),
    )
    remaining = max(policy.monthly_allowance - spent, Money.zero(currency))
    assert from_allowance <= remaining
    assert split.allowance_left == remaining - from_allowance


def test_monthly_deduction_statement_per_employee() -> None:
    lines = [
        InvoiceLine.build(
            service_id=f"s-{offering}",
            kind=ChargeKind.RECURRING,
            description=offering,
            supply_from=date(2026, 4, 1),
            supply_to=date(2026, 4, 30),
            amount=nok(price),
            price_basis=PriceBasis.GROSS,
            vat_percent=Decimal(25),
            offering_id=offering,
        )
        for offering, price in (
            ("bedrift_total_c_10gb", "449"),
            ("extra_data_15gb", "199"),
            ("cloud_storage_50gb", "79"),
        )
    ]
    invoice = Invoice(
        invoice_id="1",
        payer="C-1",
        period=BillingPeriod(2026, 4),
        currency="NOK",
        issued_on=date(2026, 5, 1),
        due_on=date(2026, 5, 15),
        reference="1232",
        lines=lines,
    )
    statement = deduction_statement(invoice, POLICY, employee="kari@example.no")
    assert [(e.offering_id, e.employer, e.amount) for e in statement.entries] == [
        ("bedrift_total_c_10gb", nok("449"), nok("0")),
        ("extra_data_15gb", nok("100"), nok("99")),
        ("cloud_storage_50gb", nok("0"), nok("79")),
    ]
    assert statement.total == nok("178")
    assert statement.employer_total + statement.total == invoice.gross_total
    with pytest.raises(SelfcareError) as error:
        deduction_statement(invoice, POLICY, employee=" ")
    assert error.value.codes == ("billing.invalid_text",)


@pytest.mark.parametrize(
    ("lang", "employer", "employee"),
    [
        ("nb", "betales av arbeidsgiver", "lønnstrekk"),
        ("fi", "työnantaja maksaa", "palkasta vähennetään"),
        ("sv", "betalas av arbetsgivaren", "löneavdrag"),
        ("en", "paid by the employer", "salary deduction"),
        ("de", "paid by the employer", "salary deduction"),
    ],
)
def test_the_confirmation_shows_the_split_in_the_users_language(
    lang: str, employer: str, employee: str
) -> None:
    split = payer_split(
        [
            charge("extra_data_15gb", "199"),
            QuotedCharge(offering_id="sim", description="SIM", amount=nok("99")),
        ],
        POLICY,
        nok("30"),
    )
    first, second = split.summary(lang)
    assert first.startswith("extra_data_15gb · +4791234567 · ")
    assert employer in first
    assert employee in first
    assert second.startswith("SIM · ")
