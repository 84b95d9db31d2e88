"""Audit of money and its records (DOMAIN.md §7, §9; STATISTICS.md money indicators; reports/DECISIONS.md, Money):
a paid batch is corrected by reversal, never edited; automatic postings are not edited by hand; payees are kept
as they were paid; shares and amounts stay within bounds; station users see no money."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from funding import services
from funding.models import BatchReversal, PaymentBatch, Spending, Subsidy, SubsidyPayment, SubsidyPolicy
from tests.factories import HandlerFactory, ProviderFactory

D = Decimal
pytestmark = pytest.mark.django_db


def _pay(subsidies, finance, vouchers_per=""):
    batch = services.batch_create(subsidies=subsidies, by=finance, vouchers_per=vouchers_per)
    services.batch_pay(batch=batch, paid_on=timezone.localdate(), by=finance)
    batch.refresh_from_db()
    return batch


def test_it_keeps_a_paid_batch_unchanged_when_the_admin_posts_a_new_voucher_setting(ready_case, finance, client_for):
    """DOMAIN §7: "A paid batch or one payee's line is corrected by reversal …, never by deletion or editing".
    The admin's change form of a paid batch still offers "vouchers per" (handler/firm: who the money went to on the
    领款凭单) and the title, and saves them."""
    firm = ProviderFactory(name="示范县明理律师事务所")
    subsidies = [services.subsidy_compute(case=ready_case("pass", handler=HandlerFactory(name=n, provider=firm)),
                                          by=finance) for n in ("李明", "赵静")]
    batch = _pay(subsidies, finance, vouchers_per="handler")
    before = (batch.vouchers_per, batch.title)
    client_for("admin").post(reverse("admin:funding_paymentbatch_change", args=[batch.pk]),
                             {"vouchers_per": "firm", "title": "改过的批次", "_save": "Save"})
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID
    assert (batch.vouchers_per, batch.title) == before


def test_it_refuses_a_negative_fail_share_in_the_admin_instead_of_computing_a_negative_subsidy(
        ready_case, finance, client_for):
    """DOMAIN §7: "不合格 pays a reduced share or nothing" (a share of 0–100 %); money is never negative
    (funding.models: amounts ≥ 0; only a reversing entry is negative). The admin accepts fail_share = −50 %, the
    subsidy of a 不合格 case is then computed as −600.00, and paying its batch is a server error (500): the
    payment line breaks the database check."""
    policy = SubsidyPolicy.objects.get(year=timezone.localdate().year)
    before = policy.fail_share
    data = {f: str(getattr(policy, f)) for f in (
        "year", "fail_share", "terminated_share", "extra_recipient_amount", "extra_recipient_cap",
        "outside_county_amount", "major_case_amount", "duty_day_rate", "consultation_day_rate")}
    data.update(fail_share="-50", _save="Save")
    client_for("admin").post(reverse("admin:funding_subsidypolicy_change", args=[policy.pk]), data)
    policy.refresh_from_db()
    assert policy.fail_share == before
    subsidy = services.subsidy_compute(case=ready_case("fail"), by=finance)
    assert subsidy.amount >= 0


@freeze_time("2026-05-10 10:00:00+08:00")
def test_it_does_not_let_finance_edit_a_months_posted_duty_subsidies_by_hand(
        org, subsidy_defaults, handler_profile, finance, client_for):
    """DOMAIN §7/§9: subsidies post to spending automatically, and "Spending posted by a batch is not edited by
    hand"; DECISIONS (Money): the duty subsidies of a month "are posted once … as one entry". The posted
    值班补贴 entry is treated as a manual entry: on its day finance edits its amount and category on the spending
    form, while the month stays "posted" (it can never be posted again and its roster is frozen)."""
    from stations.models import DutyShift

    DutyShift.objects.create(date=dt.date(2026, 4, 3), handler=handler_profile, place_kind="court", place="法院")
    SubsidyPolicy.objects.update_or_create(year=2026, defaults={"duty_day_rate": D("200")})
    posted = services.duty_subsidy_post(year=2026, month=4, by=finance)
    assert (posted.amount, posted.category) == (D("200.00"), "duty_subsidy")
    c = client_for("finance")
    c.post(f"/funding/spending/{posted.pk}/edit/", {"date": "2026-04-30", "category": "office",
                                                    "amount": "99999", "description": "改", "reason": "改"})
    posted.refresh_from_db()
    assert (posted.amount, posted.category) == (D("200.00"), "duty_subsidy")


def test_it_keeps_the_firm_a_paid_batch_paid_when_the_lawyer_later_moves_to_another_firm(
        ready_case, finance, client_for):
    """DOMAIN §7: a paid batch is never edited (a corrected payment is a new batch); STATISTICS: "Facts are taken as
    they were when the event happened … Editing a handler … later changes no figure of a past period". A batch
    paid per firm shows, after the lawyer's firm is edited, the new firm as the payee of money it never received
    (the Art. 58 public list prints the new firm too)."""
    paid_firm, later_firm = ProviderFactory(name="甲律师事务所"), ProviderFactory(name="乙律师事务所")
    lawyer = HandlerFactory(name="李明", provider=paid_firm)
    batch = _pay([services.subsidy_compute(case=ready_case("pass", handler=lawyer), by=finance)], finance,
                 vouchers_per="firm")
    c = client_for("finance")
    assert "甲律师事务所" in c.get(f"/funding/batches/{batch.pk}/").content.decode()
    lawyer.provider = later_firm
    lawyer.save()
    page = c.get(f"/funding/batches/{batch.pk}/").content.decode()
    assert "甲律师事务所" in page and "乙律师事务所" not in page


def test_it_shows_a_station_user_no_subsidy_payments_of_handlers(ready_case, finance, station_a, client_for):
    """DOMAIN §2: default deny; station staff do consultations, publicity and preliminary intake of their station;
    funding and subsidy payment batches are finance's (and the director's). Station staff open the list behind
    发放办案补贴 for their station: each payee's name, amount and batch (rows linking to payment pages they are
    refused)."""
    payee = HandlerFactory(name="钱多多")
    subsidy = services.subsidy_compute(case=ready_case("pass", handler=payee, station=station_a), by=finance)
    _pay([subsidy], finance)
    year = timezone.localdate().year
    body = client_for("staff_a").get(f"/reports/figures/subsidy.paid.total/?period={year}").content.decode()
    # The station's own figure stays (its report counts subsidies through the case's station: DECISIONS.md);
    # whom the center paid, and the payment pages, are finance's.
    assert "钱多多" not in body and "/funding/payments/" not in body
    assert "钱多多" in client_for("finance").get(f"/reports/figures/subsidy.paid.total/?period={year}").content.decode()


def test_it_refuses_a_reversal_request_that_names_a_line_of_another_batch(ready_case, finance, client_for):
    """DOMAIN §7: a paid batch's lines are reversed with a reason and the director's approval; bad input gives a
    clear message and changes nothing (the service itself refuses "lines that are not paid lines of this batch").
    The page drops the other batch's line silently and files a reversal request for the rest."""
    first = _pay([services.subsidy_compute(case=ready_case("pass"), by=finance)], finance)
    second = _pay([services.subsidy_compute(case=ready_case("pass"), by=finance)], finance)
    own, foreign = first.payments.get(), second.payments.get()
    client_for("finance").post(f"/funding/batches/{first.pk}/reverse/",
                               {"payment": [own.pk, foreign.pk], "reason": "金额有误"})
    assert not BatchReversal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_finance_users_batching_the_same_subsidy_at_once_put_it_in_one_batch_only(ready_case, finance,
                                                                                     director):
    """DOMAIN §7: a case is paid once; two batches made at the same moment cannot both take one subsidy."""
    subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance) for _ in range(3)]
    barrier = threading.Barrier(2)
    made, refused, errors = [], [], []

    def make(selection, user):
        try:
            barrier.wait(timeout=30)
            made.append(services.batch_create(subsidies=selection, by=user))
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=make, args=args) for args in (
        ([subsidies[0], subsidies[1]], finance), ([subsidies[2], subsidies[1]], director))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(made) == 1 and len(refused) == 1
    assert Subsidy.objects.get(pk=subsidies[1].pk).batch_id == made[0].pk
    assert Subsidy.objects.filter(batch__isnull=False).count() == 2
    assert not SubsidyPayment.objects.exists() and not Spending.objects.exists()
