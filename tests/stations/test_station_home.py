"""Station staff record a consultation in one tap: from their home and from the phone layout's top bar
(issue 16: it took three taps on a phone)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_station_panel_on_the_home_page_has_the_record_a_consultation_button(client_for):
    html = client_for("staff_a").get("/").content.decode()
    assert 'data-testid="station-new-consultation"' in html
    button = html.split('data-testid="station-new-consultation"')[0].rsplit("<a ", 1)[1]
    assert 'href="/intake/consultations/new/"' in button
    assert "登记咨询" in html


def test_the_phone_top_bar_of_station_staff_links_to_a_new_consultation_on_every_page(client_for):
    for url in ("/", "/publicity/"):
        html = client_for("staff_b").get(url).content.decode()
        bar = html.split('data-testid="phone-new-consultation"')
        assert len(bar) == 2 and 'href="/intake/consultations/new/"' in bar[0].rsplit("<a ", 1)[1]
        assert "d-lg-none" in bar[0].rsplit("<a ", 1)[1]  # the desktop keeps its menu


@pytest.mark.parametrize("persona", ["clerk", "director", "finance", "handler"])
def test_center_staff_do_not_get_the_phone_shortcut(client_for, persona):
    html = client_for(persona).get("/").content.decode()
    assert 'data-testid="phone-new-consultation"' not in html
    assert 'data-testid="station-new-consultation"' not in html
