"""The documents of DOMAIN.md §12 printed from Chromium to PDF, as the center prints them: each one fits its
A4 page(s) as the official form does, the toolbar stays off the paper, and the title, the number and the
person it is addressed to are on the page.

Records are realistic and on the long side (long names, a long address, several refusal reasons, a few
progress entries), since a form that fits only with short data does not fit."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import ARTIFACTS
from tests.factories import CriminalNoticeFactory, PersonFactory, make_case
from tests.helpers import browser_page

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)

# Sheets each document takes, as the official forms: every form of §12 is a single A4 sheet; the subsidy
# vouchers are one sheet per payee (their test says how many payees it has).
PAGES = {
    "receipt": 1,          # 申请材料接收凭证
    "supplement": 1,       # 补充材料通知书
    "grant": 1,            # 给予法律援助决定书 (and its reprint, which carries the reprint mark)
    "refusal": 1,          # 不予法律援助决定书
    "assignment": 1,       # 指派通知书
    "letter": 1,           # 法律援助公函
    "termination": 1,      # 终止法律援助决定书
    "closing_report": 1,   # 结案报告表
    "opinion_form": 1,     # 征询意见表
    "delivery": 1,         # 送达回证, whichever document it goes with
}

LONG_ADDRESS = "示范县城关镇东关社区幸福路南段振兴花园小区十七号楼二单元一〇二室（原城关镇东关村三组）"
OPPOSING_PARTY = "示范县宏远建筑劳务有限公司及其法定代表人欧阳德胜"
REFUSAL_REASONS = (
    "一、申请人家庭人均月收入为二千八百六十元，高于本县公布的经济困难标准，且申请人不属于免予核查经济困难状况的人员；\n"
    "二、申请人所申请的房屋买卖合同纠纷事项，不属于《中华人民共和国法律援助法》第三十一条规定的法律援助事项范围；\n"
    "三、申请人未能提供与所申请法律援助事项有关的证据材料，经本中心告知后亦未在规定期限内补充。"
)
PROGRESS = [
    ("meeting", "会见受援人，了解被拖欠工资的经过，收集考勤记录、工资条及工友证人证言，并向受援人释明诉讼风险。"),
    ("evidence", "前往示范县人力资源和社会保障局调取该公司劳动保障监察案卷，复印工资支付台账共二十三页。"),
    ("filing", "向示范县劳动人事争议仲裁委员会提交仲裁申请书及证据目录，仲裁委当日受理并送达受理通知书。"),
    ("mediation", "参加仲裁庭主持的调解，对方同意分两期支付拖欠工资三万六千元，当庭签署调解协议。"),
]
CLOSING_REPORT = (
    "受援人系农民工，在被申请人承建的示范县城关镇安置房工地务工十个月，被拖欠工资四万八千六百元。承办人接受指派后"
    "及时会见受援人，调取劳动保障监察案卷，固定工资支付台账等证据，向仲裁委提起仲裁。经仲裁庭主持调解，双方达成"
    "调解协议，被申请人分两期支付拖欠工资三万六千元，现已全部履行完毕，受援人对办案结果表示满意。"
)


def _words(text: str) -> str:
    """The PDF's text without the spaces and line breaks layout puts between characters."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def sheet(browser):
    """A Chromium page as wide as an A4 sheet (794 px at 96 dpi), so the screenshots look like the sheet."""
    with browser_page(browser, width=794, height=1123) as pg:
        yield pg


def print_to_pdf(pg, screenshot, url: str, name: str, *, pages: int, texts: list[str]) -> list[str]:
    """Open a print page, print it to PDF as Chromium prints it, save the screenshot doc-<name>.png; the
    problems found (wrong sheet size, page count, toolbar on paper, missing text, anything wider than the
    text block), empty when the document is right."""
    response = pg.goto(url)
    if response is None or response.status != 200:
        return [f"{name}: {url} answered {response.status if response else 'nothing'}"]
    toolbar = pg.locator(".toolbar").inner_text().split()
    assert toolbar, "the print pages have a toolbar with Print and Back"
    pg.emulate_media(media="print")
    try:
        problems = []
        if pg.locator(".toolbar").is_visible():
            problems.append(f"{name}: the toolbar shows in print")
        too_wide = pg.evaluate("""() => {
            const right = document.body.getBoundingClientRect().right + 1;
            return [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > right)
                .map(e => e.tagName + (e.className ? '.' + e.className : ''));
        }""")
        if too_wide:
            problems.append(f"{name}: wider than the text block: {too_wide[:5]}")
        screenshot(pg, f"doc-{name}")
        pdf = pg.pdf(format="A4", prefer_css_page_size=True)
        (ARTIFACTS / "pdf").mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "pdf" / f"doc-{name}.pdf").write_bytes(pdf)
        reader = PdfReader(io.BytesIO(pdf))
    finally:
        pg.emulate_media(media="screen")
    for number, paper in enumerate(reader.pages, start=1):
        size = (float(paper.mediabox.width), float(paper.mediabox.height))
        if abs(size[0] - A4_POINTS[0]) > 1 or abs(size[1] - A4_POINTS[1]) > 1:
            problems.append(f"{name}: page {number} is {size[0]:.1f}×{size[1]:.1f} pt, not A4")
    text = _words("".join(p.extract_text() or "" for p in reader.pages))
    if len(reader.pages) != pages:
        spill = _words(reader.pages[-1].extract_text() or "")[:60]
        problems.append(f"{name}: {len(reader.pages)} pages instead of {pages} (last page begins “{spill}”)")
    problems += [f"{name}: the toolbar's “{word}” is on paper" for word in toolbar if word in text]
    problems += [f"{name}: “{t}” is not in the PDF" for t in texts if _words(t) not in text]
    return problems


def test_the_service_window_documents_each_print_on_one_a4_sheet(
        live_server, sheet, login, screenshot, org, clerk, reviewer):
    from intake import services
    from intake.models import Application

    today = timezone.localdate()
    worker = PersonFactory(name="欧阳春花", sex="F", hukou="rural", declared_groups=["migrant_worker"],
                           birth_date=dt.date(1979, 3, 8), address=LONG_ADDRESS)
    app = services.application_receive(application=Application(
        applicant=worker, received_on=today - dt.timedelta(days=6), category="civil", cause="labour_pay",
        opposing_party=OPPOSING_PARTY, amount_involved=Decimal("48600")), by=clerk)
    notice = services.supplement_notice_issue(application=app, by=clerk, issued_on=today - dt.timedelta(days=5))
    services.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk)
    services.materials_supplied(application=app, by=clerk, on=today - dt.timedelta(days=2))
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer)
    buyer = PersonFactory(name="司马玉兰", sex="F", hukou="urban", household_income=Decimal("8580"),
                          address=LONG_ADDRESS)
    refused = services.application_receive(application=Application(
        applicant=buyer, received_on=today - dt.timedelta(days=3), category="civil", cause="housing",
        opposing_party=OPPOSING_PARTY), by=clerk)
    services.materials_update(application=refused, received={m.pk for m in refused.materials.all()}, by=clerk)
    services.application_submit_review(application=refused, by=clerk)
    refused = services.application_refuse(application=refused, by=reviewer, reasons=REFUSAL_REASONS)
    assert len(notice.items) >= 3 and len(app.eligibility_reasons) >= 1

    login(sheet, "clerk")
    base = f"{live_server.url}/intake"
    documents = [
        ("receipt", f"{base}/applications/{app.pk}/print/receipt/", PAGES["receipt"],
         ["申请材料接收凭证", app.number, worker.name]),
        ("supplement", f"{base}/supplement-notices/{notice.pk}/print/", PAGES["supplement"],
         ["补充材料通知书", notice.number, worker.name, *notice.items]),
        ("delivery-supplement", f"{base}/supplement-notices/{notice.pk}/print/?delivery=1", PAGES["delivery"],
         ["送达回证", "补充材料通知书", notice.number, worker.name]),
        ("grant", f"{base}/applications/{app.pk}/print/decision/", PAGES["grant"],
         ["给予法律援助决定书", app.decision_number, worker.name, LONG_ADDRESS]),
        # A second print is a reprint: it says so, and still fits its sheet.
        ("grant-reprint", f"{base}/applications/{app.pk}/print/decision/", PAGES["grant"],
         ["给予法律援助决定书", app.decision_number, worker.name, "重印件"]),
        ("delivery-grant", f"{base}/applications/{app.pk}/print/decision/?delivery=1", PAGES["delivery"],
         ["送达回证", "给予法律援助决定书", app.decision_number, worker.name]),
        ("refusal", f"{base}/applications/{refused.pk}/print/decision/", PAGES["refusal"],
         ["不予法律援助决定书", refused.decision_number, buyer.name, *REFUSAL_REASONS.splitlines()]),
        ("delivery-refusal", f"{base}/applications/{refused.pk}/print/decision/?delivery=1", PAGES["delivery"],
         ["送达回证", "不予法律援助决定书", refused.decision_number, buyer.name]),
    ]
    problems = []
    for name, url, pages, texts in documents:
        problems += print_to_pdf(sheet, screenshot, url, name, pages=pages, texts=texts)
    assert not problems, "\n".join(problems)


def test_the_case_documents_each_print_on_one_a4_sheet(
        live_server, sheet, login, screenshot, org, clerk, reviewer, handler, handler_profile):
    from cases import services
    from core.models import DeliveryReceipt

    today = timezone.localdate()
    handler_profile.provider.name = "安徽明正（示范）律师事务所"
    handler_profile.provider.save()
    recipient = PersonFactory(name="阿依古丽·买买提", sex="F", address=LONG_ADDRESS)
    case = make_case(recipient=recipient, accepted_on=today - dt.timedelta(days=20), opposing_party=OPPOSING_PARTY,
                     amount_involved=Decimal("48600"), station=org["stations"]["station-a"])
    assignment = services.case_assign(case=case, handler=handler_profile, on=today - dt.timedelta(days=19),
                                      by=clerk)
    services.case_sign_agreement(case=case, signed_on=today - dt.timedelta(days=18), by=handler)
    for days_ago, (kind, note) in zip((17, 14, 10, 5), PROGRESS, strict=True):
        services.case_record_progress(case=case, kind=kind, on=today - dt.timedelta(days=days_ago), note=note,
                                      by=handler)
    services.case_close(case=case, closed_on=today - dt.timedelta(days=2), outcome="mediation",
                        closing_report=CLOSING_REPORT, amount_recovered=Decimal("36000"), by=handler)

    defendant = PersonFactory(name="慕容晓东", address=LONG_ADDRESS)
    court = "示范县人民法院刑事审判第一庭"
    notice = CriminalNoticeFactory(received_on=today - dt.timedelta(days=10), organ_name=court, person=defendant)
    criminal = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                         aid_form="criminal_defence", cause="theft", accepted_on=today - dt.timedelta(days=10),
                         recipient=defendant)
    defence = services.case_assign(case=criminal, handler=org["handlers"]["王强"],
                                   on=today - dt.timedelta(days=9), by=clerk)
    services.case_terminate(case=criminal, reason="own_counsel", on=today - dt.timedelta(days=3), by=reviewer,
                            note="受援人的近亲属已为其另行委托辩护律师，并向本中心提交了书面说明。")
    criminal.refresh_from_db()
    firm = handler_profile.provider.name

    login(sheet, "clerk")
    civil, crim = f"{live_server.url}/cases/{case.pk}/print", f"{live_server.url}/cases/{criminal.pk}/print"
    documents = [
        ("assignment", f"{civil}/assignment/", PAGES["assignment"],
         ["指派通知书", assignment.number, firm, recipient.name, handler_profile.name, OPPOSING_PARTY]),
        ("delivery-assignment", f"{civil}/delivery-assignment/", PAGES["delivery"],
         ["送达回证", "指派通知书", assignment.number, firm]),
        ("closing_report", f"{civil}/closing_report/", PAGES["closing_report"],
         ["结案报告表", case.number, recipient.name, CLOSING_REPORT, *(note for _k, note in PROGRESS)]),
        ("opinion_form", f"{civil}/opinion_form/", PAGES["opinion_form"],
         ["征询意见表", case.number, recipient.name, handler_profile.name]),
        ("letter", f"{crim}/letter/", PAGES["letter"],
         ["法律援助公函", defence.letter_number, court, defendant.name, "王强"]),
        ("delivery-letter", f"{crim}/delivery-letter/", PAGES["delivery"],
         ["送达回证", "法律援助公函", defence.letter_number, court]),
        ("termination", f"{crim}/termination/", PAGES["termination"],
         ["终止法律援助决定书", criminal.termination_number, defendant.name, court]),
        ("delivery-termination", f"{crim}/delivery-termination/", PAGES["delivery"],
         ["送达回证", "终止法律援助决定书", criminal.termination_number, defendant.name]),
    ]
    problems = []
    for name, url, pages, texts in documents:
        problems += print_to_pdf(sheet, screenshot, url, name, pages=pages, texts=texts)
    assert not problems, "\n".join(problems)
    receipts = DeliveryReceipt.objects.filter(document__in=["assignment", "letter", "termination"])
    assert receipts.count() == 3  # each numbered on its first print; their numbers were checked on paper above


def _archived_case(*, handler, grade: str, days_ago: int, **fields):
    """An archived, graded case handled by `handler` (the grading services are not under test here)."""
    case = make_case(accepted_on=timezone.localdate() - dt.timedelta(days=days_ago), **fields)
    case.handler = handler
    case.assigned_on = case.closed_on = case.archived_on = case.graded_on = case.accepted_on
    case.status, case.grade = "archived", grade
    case.save()
    return case


def test_the_subsidy_vouchers_print_one_a4_sheet_per_payee(
        live_server, sheet, login, screenshot, org, finance, handler_profile, other_handler):
    from funding import services

    cases = [
        _archived_case(handler=handler_profile, grade="excellent", days_ago=12, is_mass=True, recipient_count=4),
        _archived_case(handler=handler_profile, grade="good", days_ago=10),
        _archived_case(handler=handler_profile, grade="pass", days_ago=8, category="criminal", cause="theft",
                       stage="trial", aid_form="criminal_defence"),
        _archived_case(handler=handler_profile, grade="good", days_ago=6, stage="second_instance"),
        _archived_case(handler=other_handler, grade="pass", days_ago=4),
    ]
    subsidies = [services.subsidy_compute(case=c, by=finance) for c in cases]
    batch = services.batch_create(subsidies=subsidies, by=finance)
    services.batch_pay(batch=batch, paid_on=timezone.localdate(), by=finance)
    payees = [handler_profile.name, other_handler.name]

    login(sheet, "finance")
    problems = print_to_pdf(
        sheet, screenshot, f"{live_server.url}/funding/batches/{batch.pk}/voucher/", "voucher",
        pages=len(payees), texts=["法律援助办案补贴领款凭单", batch.number, *payees, *(c.number for c in cases)])
    assert not problems, "\n".join(problems)
