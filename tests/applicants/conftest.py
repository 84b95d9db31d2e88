import pytest


@pytest.fixture(autouse=True)
def _default_policies(request):
    """Transactional tests flush the data migration's default eligibility policies: put them back."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db", "org", "live_server"} & names) and not request.node.get_closest_marker(
            "django_db"):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db" if {"transactional_db", "live_server"} & names else "db")
    importlib.import_module("applicants.migrations.0002_default_eligibility_policy").seed(apps, None)
