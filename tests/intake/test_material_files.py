"""Scans and photos of an application's materials (issue 16, item 7): private storage, checked by content,
served only to those who may see the application, never deleted."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xc0\x00\x11\x08\x00\x10\x00\x20\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Files under a temporary private root; service messages read in English (the pages speak Chinese)."""
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "files"
    with translation.override("en"):
        yield


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def material(app):
    return app.materials.first()


def test_a_scan_and_a_photo_are_kept_privately_with_who_and_when(material, clerk):
    from intake.services import material_files_add

    saved = material_files_add(material=material, uploads=[upload("身份证.jpg", JPEG), upload("低保证.pdf", PDF)],
                               by=clerk)
    assert [(f.kind, f.original_name, f.size, f.uploaded_by) for f in saved] == [
        ("jpeg", "身份证.jpg", len(JPEG), clerk), ("pdf", "低保证.pdf", len(PDF), clerk)]
    for f in saved:
        path = Path(f.file.path)
        assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "applications" / str(material.application_id))
        assert "身份证" not in path.name  # stored under a random name, never the uploaded one
        assert path.read_bytes() in (JPEG, PDF)
    assert material.history.first().history_change_reason == "上传材料文件：身份证.jpg、低保证.pdf"
    latest = material.application.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("上传材料文件：身份证.jpg、低保证.pdf", clerk)


@pytest.mark.parametrize("name,content,message", [
    ("id.jpg", b"<html><script>alert(1)</script></html>", "content"),
    ("id.jpg", PNG, "content is not a JPG"),            # a PNG behind a .jpg name
    ("id.pdf", b"MZ\x90\x00 an exe", "content"),
    ("scan.exe", b"MZ\x90\x00", "JPG, PNG"),
    ("id.jpg", b"", "empty"),
    ("noname", JPEG, "JPG, PNG"),
])
def test_hostile_or_wrong_files_are_refused_and_nothing_is_saved(material, clerk, name, content, message):
    from intake.models import MaterialFile
    from intake.services import material_files_add

    with pytest.raises(ValidationError) as err:
        material_files_add(material=material, uploads=[upload("ok.pdf", PDF), upload(name, content)], by=clerk)
    assert message in " ".join(err.value.messages) or message in str(err.value)
    assert MaterialFile.objects.count() == 0
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_a_zip_named_jpg_and_an_oversize_file_are_refused(material, clerk, settings):
    from intake.models import MaterialFile
    from intake.services import material_files_add

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * 5_000_000)
    with pytest.raises(ValidationError, match="content"):
        material_files_add(material=material, uploads=[upload("photo.jpg", buffer.getvalue())], by=clerk)
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="too large"):
        material_files_add(material=material, uploads=[upload("big.pdf", PDF + b" " * 2000)], by=clerk)
    assert MaterialFile.objects.count() == 0


def test_a_picture_of_absurd_dimensions_is_refused(material, clerk):
    from intake.services import material_files_add

    bomb = PNG[:16] + (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big") + PNG[24:]
    with pytest.raises(ValidationError, match="megapixels"):
        material_files_add(material=material, uploads=[upload("huge.png", bomb)], by=clerk)


def test_a_jpeg_declaring_absurd_dimensions_is_refused_and_a_normal_one_is_read(material, clerk):
    from intake.services import _image_pixels, material_files_add

    assert _image_pixels("jpeg", JPEG) == 16 * 32
    bomb = JPEG.replace(b"\x08\x00\x10\x00\x20", b"\x08\xff\xf0\xff\xf0")
    assert _image_pixels("jpeg", bomb) == 65520 * 65520
    with pytest.raises(ValidationError, match="megapixels"):
        material_files_add(material=material, uploads=[upload("huge.jpg", bomb)], by=clerk)


def test_too_many_files_or_none_at_all_are_refused(material, clerk):
    from intake.services import material_files_add

    with pytest.raises(ValidationError, match="Choose a file"):
        material_files_add(material=material, uploads=[], by=clerk)
    with pytest.raises(ValidationError, match="At most 10"):
        material_files_add(material=material, uploads=[upload(f"{i}.pdf", PDF) for i in range(11)], by=clerk)


def test_another_station_and_a_decided_application_cannot_attach(org, staff_a, staff_b, clerk, person):
    from django.utils import timezone

    from intake.models import Application
    from intake.services import application_withdraw, material_files_add

    app = Application(applicant=person, received_on=timezone.localdate(), cause="labour_pay")
    from intake.services import application_receive

    app = application_receive(application=app, by=staff_a)
    material = app.materials.first()
    assert material_files_add(material=material, uploads=[upload("a.png", PNG)], by=staff_a)
    with pytest.raises(PermissionDenied):
        material_files_add(material=material, uploads=[upload("b.png", PNG)], by=staff_b)
    application_withdraw(application=app, by=clerk)
    with pytest.raises(ValidationError, match="decided or withdrawn"):
        material_files_add(material=material, uploads=[upload("c.png", PNG)], by=staff_a)


def test_remove_hides_the_file_and_keeps_it_with_who_and_when(material, clerk):
    from intake.services import material_file_remove, material_files_add

    (item,) = material_files_add(material=material, uploads=[upload("错传.png", PNG)], by=clerk)
    material_file_remove(file=item, by=clerk)
    item.refresh_from_db()
    assert item.removed_by == clerk and item.removed_at is not None
    assert Path(item.file.path).read_bytes() == PNG
    assert item.history.count() == 2
    assert material.history.first().history_change_reason == "移除材料文件：错传.png"
    assert material.application.history.first().history_change_reason == "移除材料文件：错传.png"
    with pytest.raises(ValidationError, match="already removed"):
        material_file_remove(file=item, by=clerk)


# --- through the pages ---------------------------------------------------------------------------

def test_the_window_uploads_and_the_reviewer_sees_and_opens_the_scan(client_for, material, app):
    from core.models import AccessLog
    from intake.models import MaterialFile

    clerk = client_for("clerk")
    response = clerk.post(f"/intake/materials/{material.pk}/files/",
                          {"files": [upload("身份证.jpg", JPEG, "image/jpeg"), upload("合同.pdf", PDF)]})
    assert response.status_code == 302 and response["Location"].endswith("#material-files")
    jpeg, pdf = MaterialFile.objects.order_by("pk")
    page = client_for("reviewer").get(f"/intake/applications/{app.pk}/").content.decode()
    assert f'src="/intake/material-files/{jpeg.pk}/"' in page
    assert f'href="/intake/material-files/{pdf.pk}/"' in page and "身份证.jpg" in page
    opened = client_for("reviewer").get(f"/intake/material-files/{jpeg.pk}/")
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"
    assert opened["Content-Disposition"].startswith("inline") and opened["X-Content-Type-Options"] == "nosniff"
    assert b"".join(opened.streaming_content) == JPEG
    download = client_for("reviewer").get(f"/intake/material-files/{pdf.pk}/?download=1")
    assert download["Content-Disposition"].startswith("attachment") and download["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(object_type="intake.MaterialFile", object_id=str(jpeg.pk)).exists()
    assert not settings.MEDIA_URL.startswith("/intake/")


def test_a_hostile_upload_through_the_page_says_why_and_saves_nothing(client_for, material):
    from intake.models import MaterialFile

    response = client_for("clerk").post(f"/intake/materials/{material.pk}/files/",
                                        {"files": [upload("id.jpg", b"<html>hi</html>", "image/jpeg")]},
                                        follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and "id.jpg" in text
    assert MaterialFile.objects.count() == 0


def test_a_removed_file_is_no_longer_shown(client_for, material, app, clerk):
    from intake.services import material_files_add

    (item,) = material_files_add(material=material, uploads=[upload("错传.png", PNG)], by=clerk)
    response = client_for("clerk").post(f"/intake/material-files/{item.pk}/remove/")
    assert response.status_code == 302
    page = client_for("clerk").get(f"/intake/applications/{app.pk}/").content.decode()
    assert f"/intake/material-files/{item.pk}/" not in page
    assert client_for("clerk").get(f"/intake/material-files/{item.pk}/").status_code == 200  # kept on record
