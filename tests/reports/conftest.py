"""The data set most report tests read (tests/reports/dataset.py), defined once."""

import pytest

from tests.reports import dataset


@pytest.fixture
def data(org, station_a):
    return dataset.build(station_a)
