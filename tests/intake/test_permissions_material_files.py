"""Permission table of the material-file URLs: station staff see only their station's scans."""

from datetime import date

import pytest

from tests.permission_table import check, expect

STATION_A_ONLY = dict(admin=403, finance=403, handler=403, staff_b=404)  # the administrator: no applicants (§2)

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(org, staff_a, station_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intake import services
    from intake.models import Application
    from tests.factories import PersonFactory

    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(name="城关申请人", station=station_a)
    app = services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                               cause="labour_pay"), by=staff_a)
    material = app.materials.first()
    (item,) = services.material_files_add(material=material, uploads=[SimpleUploadedFile("a.pdf", PDF)],
                                          by=staff_a)
    return dict(material=material.pk, file=item.pk)


TABLE = [
    ("intake:material_files_upload", "POST", "/intake/materials/{material}/files/",
     expect(302, **STATION_A_ONLY)),
    ("intake:material_file", "GET", "/intake/material-files/{file}/", expect(200, **STATION_A_ONLY)),
    ("intake:material_file_remove", "POST", "/intake/material-files/{file}/remove/",
     expect(302, **STATION_A_ONLY)),
]


@pytest.mark.parametrize("name,method,path,expected", TABLE, ids=[row[0] for row in TABLE])
def test_material_file_urls_answer_each_persona_as_the_table_says(client_for, world, name, method, path,
                                                                  expected):
    from django.urls import resolve

    url = path.format(**world)
    match = resolve(url)
    assert f"{match.namespace}:{match.url_name}" == name
    assert check(client_for, method, url, expected) == []
