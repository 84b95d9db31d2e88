def test_the_admin_speaks_chinese_and_lists_the_deadline_rules(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/core/deadlinerule/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "申请审查" in body and "指派承办人" in body
    assert "期限规则" in body


def test_the_access_log_is_read_only_even_for_a_superuser(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/core/accesslog/add/").status_code == 403


def test_deadline_rules_cannot_be_deleted(client, admin_user):
    from core.models import DeadlineRule

    client.force_login(admin_user)
    rule = DeadlineRule.objects.get(code="case_assign")
    assert client.get(f"/admin/core/deadlinerule/{rule.pk}/delete/").status_code == 403
