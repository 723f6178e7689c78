"""Fixtures for the NGAS tests: the real accountability exports, read once, and frame builders."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.data.readers import accountability
from alliance.parameters import load_parameters

CROSSEYE = "raw/crosseye-accountability"


@pytest.fixture(scope="session")
def published(data_root) -> pd.DataFrame:
    """Every district and state row of the EdSight exports 2014-15..2024-25."""
    return accountability.read_crosseye(data_root / CROSSEYE)["accountability"]


@pytest.fixture(scope="session")
def params():
    return load_parameters()
