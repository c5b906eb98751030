"""Search and list pages with hostile query strings: a page or an error page, never a 500.

The pages come from the Flask ``url_map``: every GET route of our
blueprints whose views read the query string (their module reads
``request.args`` or the page number), and CKAN's and ckanext-dcat's pages
that list our data (dataset search, an agency's page, the DCAT catalogue).
The parameter names are the usual list and search ones plus every dataset
facet the plugins declare (``IFacets``). ``package_search`` and
``dcat_catalog_search`` are called through the API with the same values.

Any input answers 200, 400, 403, 404 or 409 (or a redirect), never a 5xx,
and no answer shows a Solr error text (a query syntax error, a Java class
name) to the user. Hypothesis with a fixed seed and few examples per page:
the file runs in about a minute.
"""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import urlencode

import ckan.plugins as p
import pytest
from ckan.tests import factories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.test_auth_policy import PLUGINS
from tests.hardening.world import World

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

# CKAN's and ckanext-dcat's pages that list our data
OTHER_PAGES = ("dataset.search", "organization.read", "dcat.read_catalog")
PARAMS = (
    "q",
    "sort",
    "page",
    "status",
    "fq",
    "modified_since",
    "owner_org",
    "period",
    "theme",
    "overdue",
    "kind",
    "side",
    "org",
    "agency",
    "limit",
    "offset",
    "format",
)
ALLOWED = {200, 301, 302, 303, 304, 400, 403, 404, 409}
# what Solr says when a query does not parse, and what Java prints
SOLR_TEXTS = (
    "org.apache",
    "cannot parse",
    "parseexception",
    "undefined field",
    "syntax error",
    "solrerror",
    "lexical error",
    "traceback",
)

TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet='"()[]{}:*?~^!&|\\/+- \u0301\x00', max_size=15),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "",
            "(",
            "*:*",
            "title:",
            "AND",
            "zzz desc",
            "metadata_modified descending",
            "2026-13-45",
            "99999999999999999999",
            "-1",
            "NaN",
            "x" * 3000,
            "ngân sách: 2025",
        ]
    ),
)


def _facets() -> tuple[str, ...]:
    names: list[str] = []
    for plugin in p.PluginImplementations(p.IFacets):
        names += list(plugin.dataset_facets({}, "dataset"))
    return tuple(dict.fromkeys(names))


def _reads_query(view: Any) -> bool:
    """The view's module reads the query string (views share helpers that do)."""
    try:
        source = inspect.getsource(inspect.getmodule(view))
    except (OSError, TypeError):
        return False
    return "request.args" in source or "get_page_number" in source


def _pages(app: Any, world: World) -> list[str]:
    values = {
        "org_id": world.org["name"],
        "agency": world.org["name"],
        "id": world.org["name"],
        "_format": "ttl",
        "package_type": "dataset",
    }
    pages = []
    for rule in app.flask_app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        ours = blueprint.startswith("nd47")
        if "GET" not in rule.methods or not (ours or rule.endpoint in OTHER_PAGES):
            continue
        if ours and not _reads_query(app.flask_app.view_functions[rule.endpoint]):
            continue
        if not set(rule.arguments) <= set(values):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", values[arg])
        pages.append(path.replace("<id>", values["id"]))
    return sorted(set(pages))


def _check(app: Any, url: str, headers: dict[str, str], problems: dict[str, str]) -> None:
    response = app.get(url, headers=headers, follow_redirects=False)
    text = response.get_data(as_text=True).lower()
    if response.status_code not in ALLOWED:
        problems[url.split("?")[0]] = f"{response.status_code} for {url}"[:300]
    elif any(word in text for word in SOLR_TEXTS):
        problems[url.split("?")[0]] = f"a Solr error shown for {url}"[:300]


def _property(app: Any, path: str, keys: tuple[str, ...], headers: dict, problems: dict) -> Any:
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.dictionaries(st.sampled_from(keys), TEXT, min_size=1, max_size=4))
    def visit(params: dict[str, str]) -> None:
        if path in problems:
            return  # one finding per page is enough to read
        _check(app, f"{path}?{urlencode(params)}", headers, problems)

    return visit


def test_no_search_or_list_page_answers_hostile_parameters_with_a_500(app):
    world = World()
    token = factories.APIToken(user=world.sysadmin["name"])["token"]
    keys = PARAMS + _facets()
    pages = _pages(app, world)
    assert "/dataset/" in pages and "/plan/" in pages and "/catalog.ttl" in pages, pages
    problems: dict[str, str] = {}
    for path in pages:
        for headers in ({}, {"Authorization": token}):
            _property(app, path, keys, headers, problems)()
    assert not problems, "\n".join(problems.values())


def test_search_actions_answer_hostile_parameters_with_an_error_not_a_500(app):
    world = World()
    token = factories.APIToken(user=world.sysadmin["name"])["token"]
    problems: dict[str, str] = {}
    search_keys = (
        "q",
        "fq",
        "sort",
        "rows",
        "start",
        "facet.field",
        "include_private",
        "include_drafts",
        "modified_since",
        "page",
    )
    for action in ("package_search", "dcat_catalog_search"):
        _property(app, f"/api/3/action/{action}", search_keys, {"Authorization": token}, problems)()
    assert not problems, "\n".join(problems.values())


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rows=", "rows"),
        ("start=", "start"),
        ("include_private=zz", "include_private"),
        ("include_drafts=%7D%21", "include_drafts"),
    ],
)
def test_package_search_names_the_bad_parameter(app, query, field):
    """Each answered 500 (CKAN's validator or asbool raised); now 409 naming it."""
    response = app.get(f"/api/3/action/package_search?{query}")
    assert response.status_code == 409
    assert field in response.json["error"]


def test_a_page_passing_a_bad_filter_on_answers_400_naming_it(app):
    """The feedback queue passed ``?status=`` to its list action unchecked: 500."""
    world = World()
    token = factories.APIToken(user=world.admin["name"])["token"]
    response = app.get(
        f"/organization/feedback/{world.org['name']}?status=zzz",
        headers={"Authorization": token},
    )
    assert response.status_code == 400
    assert "status" in response.get_data(as_text=True)
