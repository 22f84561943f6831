"""Every serial driver passes its kind's contract suite, over a real pty, on its simulator."""

from __future__ import annotations

import pytest

from tests.instruments.contract import (
    BloodPressureContract,
    Rig,
    SpO2Contract,
    WeightContract,
)


class TestSunTechAdvantage(BloodPressureContract):
    @pytest.fixture
    def rig(self, suntech_rig: Rig) -> Rig:
        return suntech_rig


class TestAndWeighing(WeightContract):
    @pytest.fixture
    def rig(self, scale_rig: Rig) -> Rig:
        return scale_rig


class TestNoninOem3(SpO2Contract):
    @pytest.fixture
    def rig(self, nonin_rig: Rig) -> Rig:
        return nonin_rig


class TestContecCms50d(SpO2Contract):
    @pytest.fixture
    def rig(self, contec_rig: Rig) -> Rig:
        return contec_rig


class TestMasimoRad8(SpO2Contract):
    @pytest.fixture
    def rig(self, masimo_rig: Rig) -> Rig:
        return masimo_rig
