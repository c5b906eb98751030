"""Where the SHACL tests find the DCAT-AP shapes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dcat import shacl


def test_absent_shapes_skip_naming_the_setting_and_the_place(
    monkeypatch: Any, tmp_path: Any
) -> None:
    monkeypatch.setenv(shacl.SHAPES_SETTING, str(tmp_path))
    with pytest.raises(pytest.skip.Exception) as skipped:
        shacl.shapes("shapes.ttl", "range.ttl", "absent.ttl")
    assert shacl.SHAPES_SETTING in str(skipped.value)
    assert str(tmp_path) in str(skipped.value)


def test_the_setting_is_relative_to_the_repository_root(monkeypatch: Any) -> None:
    monkeypatch.setenv(shacl.SHAPES_SETTING, "some/where")
    assert shacl.shapes_dir() == f"{shacl.ROOT}/some/where"
    monkeypatch.delenv(shacl.SHAPES_SETTING)
    assert shacl.shapes_dir().endswith("/shared/dcat-ap-3.0.1")
