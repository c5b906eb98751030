"""ckan nd47 i18n-coverage: the operators' coverage report."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan


@pytest.mark.usefixtures("with_plugins")
def test_coverage_report_is_complete_for_vi(cli) -> None:
    result = cli.invoke(ckan, ["nd47", "i18n-coverage", "--strict"])
    assert result.exit_code == 0, result.output
    assert "ckanext-dcat" in result.output and "ckanext-harvest" in result.output
    total = next(line for line in result.output.splitlines() if line.strip().startswith("total"))
    assert total.split()[-2] == "100.0"
    assert "untranslated\t" not in result.output


@pytest.mark.usefixtures("with_plugins")
def test_coverage_report_before_lists_what_ckan_leaves_in_english(cli) -> None:
    result = cli.invoke(ckan, ["nd47", "i18n-coverage", "--before", "--strict"])
    assert result.exit_code == 1
    assert "untranslated\tckan-2.1" in result.output
    assert "'Add {object_type}'" in result.output
