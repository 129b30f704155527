"""The calculator "Wat kost het mij?": the employer's monthly wage cost for one job, before
and after the instruments, with the advisor's "which instruments fit?", on a page and as a
one-page PDF.

Both read the situation from the query string (the form is sent with GET), so a result can be
bookmarked, printed or opened as PDF with the same address. The calculation is in
``rules.calculator`` (pure) and ``cost_sheet.calculate`` (the rule set valid on the start
date); a problem with the input is shown next to the field it is about.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET

from werkbrug.core.views_base import access_rule
from werkbrug.rules import cost_sheet, cost_sheet_pdf
from werkbrug.rules.calculator import CalculationError, euro
from werkbrug.rules.calculator_forms import CalculatorForm
from werkbrug.rules.cost_sheet import Calculation

CALCULATE = "rules.calculate"

#: The calculator's field names → the form's (the form asks for years, not months).
FORM_FIELDS = {"months": "years"}


def _maybe_reverse(name: str, **kwargs: Any) -> str | None:
    """The URL of a route another part of the app may not have (yet)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _calculate(request: HttpRequest) -> tuple[CalculatorForm, Calculation | None]:
    """The form from the query string and, when it holds a situation that can be calculated,
    the calculation; otherwise the reasons are on the form, next to their fields."""
    submitted = CalculatorForm.submitted(request.GET)
    form = CalculatorForm(request.GET if submitted else None)
    if not submitted or not form.is_valid():
        return form, None
    actor = request.actor  # type: ignore[attr-defined]
    try:
        calculation = cost_sheet.calculate(
            region_id=actor.region_id,
            situation=form.situation(),
            facts=form.facts(),
            start_date=form.start(),
        )
    except CalculationError as error:
        for field, message in error.problems.items():
            name = FORM_FIELDS.get(field, field)
            form.add_error(name if name in form.fields else None, message)
        return form, None
    return form, calculation


def _unbroken(text: str) -> str:
    """No line break between the euro sign or a number and what follows ("€ 1.006,86",
    "60 %", "24 uur")."""
    return text.replace("€ ", "€\u00a0").replace(" %", "\u00a0%")


def _periods(calculation: Calculation) -> list[dict[str, Any]]:
    return [
        {
            "label": cost_sheet.period_label(period),
            "period": period,
            "costs": [
                (line, euro(line.per_month), _unbroken(line.explanation_nl))
                for line in period.costs
            ],
            "reliefs": [
                (line, cost_sheet.minus(line.per_month), _unbroken(line.explanation_nl))
                for line in period.reliefs
            ],
            "cost": euro(period.cost),
            "relief": euro(period.relief),
            "net": euro(period.net),
        }
        for period in calculation.sheet.periods
    ]


@access_rule(CALCULATE)
@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    form, calculation = _calculate(request)
    context: dict[str, Any] = {"form": form, "calculation": calculation}
    if calculation is not None:
        rule_set = calculation.rule_set
        context.update(
            {
                "situation_text": cost_sheet.situation_text(calculation),
                "periods": _periods(calculation),
                "years": [
                    {"year": year, "cost": euro(cost), "net": euro(net)}
                    for year, cost, net in calculation.sheet.year_totals()
                ],
                "tell_employer": [
                    (cost_sheet.tell_text(a), a, _unbroken(a.why_nl))
                    for a in calculation.tell_employer
                ],
                "advice_rows": [
                    {
                        "instrument": a.instrument,
                        "label": a.label_nl,
                        "applies": a.applies,
                        "why": _unbroken(a.why_nl),
                    }
                    for a in calculation.advice
                ],
                "notes": [_unbroken(note) for note in calculation.sheet.notes_nl],
                "rule_set_url": _maybe_reverse("rules:detail", uuid=rule_set.uuid),
                "pdf_url": f"{reverse('rules:calculator_pdf')}?{request.GET.urlencode()}",
                "rules_used": calculation.rules_used(),
                "implied": form.implied_labels(),
            }
        )
    return render(request, "rules/calculator.html", context)


@access_rule(CALCULATE)
@require_GET
def calculator_pdf(request: HttpRequest) -> HttpResponse:
    """The cost sheet as one A4 page; without a situation that can be calculated, the page
    with the same query string (which says what is wrong)."""
    form, calculation = _calculate(request)
    if calculation is None:
        query = request.GET.urlencode()
        return redirect(reverse("rules:calculator") + (f"?{query}" if query else ""))
    response = HttpResponse(
        cost_sheet_pdf.cost_sheet_pdf(calculation), content_type="application/pdf"
    )
    day = calculation.start_date.isoformat()
    response["Content-Disposition"] = f'inline; filename="kostenblad-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("wat-kost-het/", calculator, name="calculator"),
    path("wat-kost-het/kostenblad.pdf", calculator_pdf, name="calculator_pdf"),
]
