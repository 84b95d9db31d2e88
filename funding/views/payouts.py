"""Duty subsidies of a month and the quarterly public list of paid subsidies."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from itertools import chain

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import capability_required
from core.flow import errors_to_messages
from core.models import CenterProfile
from core.xlsx import SafeWorkbook, chunked, workbook_response

from .. import selectors, services
from ..forms import PublicListForm
from ..models import Spending, SubsidyPolicy
from ..money import mask_name
from .common import money_crumb


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in (request.POST.get("month") or request.GET.get("month") or "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return year, month


@capability_required("payment_manage")
def duty_subsidy(request):
    """Duty-lawyer and consultation-duty subsidies of a month, from the duty rosters, at the year's rates."""
    year, month = _month(request)
    if request.method == "POST":  # posted: to the spending entry; refused: back to the month, with the reason
        try:
            spending = services.duty_subsidy_post(year=year, month=month, by=request.user)
        except ValidationError as exc:
            errors_to_messages(request, exc)
        else:
            messages.success(request, _("The duty subsidies were posted to spending."))
            return redirect("funding:spending_detail", pk=spending.pk)
        return redirect(f"{reverse('funding:duty_subsidy')}?month={year}-{month:02d}")
    start, end = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    # A month not yet ended shows the days served so far (through today), not the days the roster plans, and
    # why it cannot be posted yet.
    not_yet = services.duty_month_refusal(year, month)
    served_to = min(end, timezone.localdate())
    policy = SubsidyPolicy.objects.filter(year=year).first()
    rows, total = (services.duty_subsidy_rows(start=start, end=served_to, policy=policy)
                   if policy and start <= served_to else ([], None))
    posted = Spending.objects.filter(import_fingerprint=services.duty_fingerprint(year, month)).first()
    return render(request, "funding/duty_subsidy.html", {
        "month": f"{year}-{month:02d}", "policy": policy, "rows": rows, "total": total, "posted": posted,
        "not_yet": not_yet,
        "breadcrumbs": [money_crumb(), (_("Duty subsidies"), None)],
    })


PUBLIC_HEADER = ["案号", "受援人", "承办人", "承办机构", "补贴金额（元）", "发放日期"]


@capability_required("payment_manage")
def public_list(request):
    """The quarterly public list of paid subsidies (Art. 58), names of recipients masked: what was finally
    paid, i.e. the payments of the quarter that were not reversed (a corrected payment is listed when made)."""
    today = timezone.localdate()
    form = PublicListForm(request.GET or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    if request.GET and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        qs = selectors.finally_paid(start, end)
        totals = qs.order_by().aggregate(n=Count("pk"), total=Sum("amount"))
        rows = chain(([p.subsidy.case.number, mask_name(p.subsidy.case.recipient.name),
                       p.subsidy.handler.name if p.subsidy.handler else "",
                       p.payee_firm.name if p.payee_firm_id else "",  # the firm paid then
                       p.amount, p.date] for p in chunked(qs)),
                     [[f"合计 {totals['n']} 件", "", "", "", totals["total"] or Decimal("0.00"), ""]])
        # A notice posted as printed: what it is, whose, for which quarter (the sheet's tab alone said it).
        title = [f"{CenterProfile.get().name}{year}年第{quarter}季度法律援助办案补贴公示",
                 f"发放日期：{start.isoformat()} 至 {(end - timedelta(days=1)).isoformat()}；受援人姓名已部分隐去"]
        book = SafeWorkbook()
        book.add_sheet(f"{year}年第{quarter}季度", PUBLIC_HEADER, rows, title_lines=title,
                       widths={0: 30, 1: 10, 2: 10, 3: 24, 4: 14, 5: 12})
        return workbook_response(book, f"办案补贴公示{year}年第{quarter}季度.xlsx")
    return render(request, "funding/public_list.html", {
        "form": form, "breadcrumbs": [money_crumb(), (_("Quarterly public list"), None)]})
