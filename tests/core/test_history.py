from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import make_case


def test_the_history_table_shows_who_changed_what_with_choice_labels(director):
    case = make_case(by=director)
    case.status = "archived"
    case._history_user = director
    case.save()
    request = RequestFactory().get("/")
    request.user = director
    html = Template("{% load legalaid %}{% history_table case %}").render(Context({"case": case, "request": request}))
    assert "周主任" in html
    assert "Archived" in html or "已归档" in html
    assert "archived" not in html.replace("Archived", "")
