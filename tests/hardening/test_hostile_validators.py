"""Every validator we register, given anything: an error or a value, never a crash.

The validators come from the plugins (``IValidators.get_validators()`` of
every ``nd47*`` plugin), so a new one is covered when it is registered.
Scheming validator factories are built for a plain text field first.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.test_auth_policy import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_request_context"),
]

# what a form, a JSON body or a spreadsheet cell can carry
ANYTHING = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.text(alphabet='"<>{}|`\\^ \t\n\r\x00\u0301=+-@/:.%', max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=20), max_size=4),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.binary(max_size=20),
    st.dates().map(str),
)

FIELD = {"field_name": "f", "label": {"vi": "Trường", "en": "Field"}}
SCHEMA: dict[str, Any] = {"dataset_fields": [FIELD], "resource_fields": []}


def registered_validators() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for plugin in p.PluginImplementations(p.IValidators):
        if plugin.name.startswith("nd47"):
            found.update(plugin.get_validators())
    return found


def _usable(validator: Any) -> Any:
    if getattr(validator, "is_a_scheming_validator", False):
        return validator(dict(FIELD), SCHEMA)
    return validator


def _property(name: str, usable: Any, crashes: dict[str, str]) -> Any:
    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(value=ANYTHING)
    def check(value: Any) -> None:
        context = {"model": model, "session": model.Session, "user": ""}
        try:
            tk.navl_validate({"f": value}, {"f": [usable]}, context)
        except Exception as error:  # noqa: BLE001 - a crash is the finding
            model.Session.rollback()
            crashes.setdefault(name, f"{type(error).__name__}: {error} for {value!r}")
            raise

    return check


def test_every_validator_answers_anything_with_an_error_or_a_value():
    validators = registered_validators()
    assert len(validators) >= 30
    crashes: dict[str, str] = {}
    for name, validator in sorted(validators.items()):
        try:
            _property(name, _usable(validator), crashes)()
        except Exception:
            if name not in crashes:
                raise  # hypothesis itself failed: not a finding about the validator
    assert not crashes, "\n".join(f"{k}: {v}" for k, v in crashes.items())
