"""The ``nd47_dcat`` plugin owns its options and its command group."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest

from tests.dcat.conftest import PLUGINS

DCAT_OPTION = "ckanext.nd47.dcat.dump_page_size"


def _declared(cli: Any, plugin: str) -> str:
    """The options a plugin declares (``ckan config declaration <plugin>``)."""
    from ckan.cli.cli import ckan

    result = cli.invoke(ckan, ["config", "declaration", plugin])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.ckan_config("ckan.plugins", "nd47 scheming_datasets scheming_organizations")
@pytest.mark.usefixtures("with_plugins")
def test_a_site_with_nd47_alone_has_no_dcat_option_nor_command(cli: Any) -> None:
    assert not tk.config.is_declared(DCAT_OPTION)
    assert "ckanext.nd47.dcat." not in _declared(cli, "nd47")
    # Loading the dcat commands leaves nd47's group as it is.
    from ckanext.nd47.cli import nd47
    from ckanext.nd47.dcat import cli as dcat_cli

    assert "dcat" not in nd47.commands
    assert dcat_cli.nd47_dcat.name == "nd47-dcat"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins")
def test_the_dcat_plugin_declares_its_options_and_command(cli: Any) -> None:
    from ckan.cli.cli import ckan

    assert tk.config.is_declared(DCAT_OPTION)
    assert DCAT_OPTION in _declared(cli, "nd47_dcat")
    assert tk.config.get(DCAT_OPTION) == 100
    assert tk.config.get("ckanext.nd47.dcat.catalog_license") == "vn-open-data"
    result = cli.invoke(ckan, ["nd47-dcat", "--help"])
    assert result.exit_code == 0, result.output
    assert "dump" in result.output
