import pytest

from tests.helpers import restore_default_policies


@pytest.fixture(autouse=True)
def _default_policies(request):
    """Transactional tests flush the data migration's default eligibility policies: put them back."""
    restore_default_policies(request)
