"""The merged Vietnamese catalogue translates every UI string we ship against.

"Every" means: each msgid of the installed CKAN's ckan.pot, of ckanext-dcat,
ckanext-harvest and ckanext-scheming (shipped templates plus a fresh
extraction from their installed code), and of our own catalogue. The check is
made on the catalogue CKAN really serves: Flask-Babel's merge of CKAN's own
catalogue with every ITranslation plugin, in an application context.
"""

from __future__ import annotations

import gettext
import io
import json

import pytest
from babel.messages.pofile import read_po

from ckanext.nd47 import catalogues, i18n_coverage, translations

UPSTREAM_VI = translations.I18N_DIR / "vi" / "LC_MESSAGES" / f"{catalogues.UPSTREAM_DOMAIN}.po"


def _catalog(path):
    with path.open("rb") as f:
        return read_po(f)


def _report(results) -> str:
    lines = []
    for r in results:
        lines += [f"{r.source}: untranslated {m!r}" for m in r.missing[:20]]
        lines += [f"{r.source}: placeholders differ {m!r} -> {s!r}" for m, s in r.broken[:20]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def sources() -> dict[str, dict[str, str]]:
    found = catalogues.installed_sources()
    found["ckanext-nd47"] = catalogues.our_msgids()
    return found


def test_sources_are_found(sources) -> None:
    assert any(name.startswith("ckan-2.1") for name in sources)
    for name in ("ckanext-dcat", "ckanext-harvest", "ckanext-scheming"):
        assert len(sources[name]) > 10, name
    ckan = next(v for k, v in sources.items() if k.startswith("ckan-"))
    assert len(ckan) > 1000
    assert "Add {object_type}" in ckan


@pytest.mark.usefixtures("with_plugins")
def test_merged_vi_catalogue_translates_every_msgid(app, sources) -> None:
    with app.flask_app.test_request_context():
        merged = i18n_coverage.served_translations("vi")
        results = list(i18n_coverage.check(merged, sources))
    assert not any(r.missing or r.broken for r in results), _report(results)
    assert sum(r.total for r in results) > 1200


@pytest.mark.usefixtures("with_plugins")
def test_our_catalogue_overrides_ckans_own_vietnamese(app) -> None:
    import flask_babel

    with app.flask_app.test_request_context():
        # CKAN's vi catalogue says "Tổ chức" (organisation) and "Nguồn" for
        # resource; the portal's glossary says "Cơ quan" and "Tài nguyên".
        assert (
            i18n_coverage.lookup(i18n_coverage.ckan_only_translations("vi"), "Organizations")
            == "Tổ chức"
        )
        with flask_babel.force_locale("vi"):
            assert flask_babel.gettext("Organizations") == "Cơ quan"
            assert flask_babel.gettext("Resources") == "Tài nguyên"
            assert flask_babel.gettext("Add {object_type}") == "Thêm {object_type}"
            text = flask_babel.ngettext("{num} Dataset", "{num} Datasets", 3)
            assert text.format(num=3) == "3 bộ dữ liệu"
        with flask_babel.force_locale("en"):
            assert flask_babel.gettext("Organizations") == "Organizations"


def test_upstream_template_holds_every_installed_msgid(sources) -> None:
    """The template is the union over CKAN 2.11 and 2.12: run on each."""
    template = _catalog(catalogues.UPSTREAM_POT)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in template if m.id}
    for name, msgids in sources.items():
        if name == "ckanext-nd47":
            continue
        missing = sorted(set(msgids) - ids)
        assert not missing, f"{name}: run `make i18n`, then translate: {missing[:10]}"


def test_upstream_translations_keep_placeholders_and_tags() -> None:
    catalog = _catalog(UPSTREAM_VI)
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    problems = []
    for m in catalog:
        if not m.id:
            continue
        msgid, plural = (m.id[0], m.id[1]) if isinstance(m.id, tuple) else (m.id, "")
        strings = list(m.string) if isinstance(m.string, tuple) else [m.string]
        assert len(strings) == 1, msgid
        text = strings[0]
        if not text or m.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
            continue
        expected = sorted(
            set(catalogues.placeholders(msgid)) | set(catalogues.placeholders(plural))
        )
        if sorted(set(catalogues.placeholders(text))) != expected:
            problems.append(f"placeholders: {msgid!r} -> {text!r}")
        if catalogues.html_tags(text) != catalogues.html_tags(msgid):
            problems.append(f"HTML tags: {msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("lang", translations.LANGUAGES)
def test_committed_mo_is_up_to_date(lang: str) -> None:
    # Compared as catalogues, not bytes: Babel versions lay out .mo differently.
    committed = gettext.GNUTranslations(io.BytesIO(catalogues.mo_path(lang).read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(catalogues.compiled_bytes(lang)))
    stale = {k for k in committed._catalog.keys() | fresh._catalog.keys() if k != ""}
    stale = {k for k in stale if committed._catalog.get(k) != fresh._catalog.get(k)}
    assert not stale, (
        f"{catalogues.mo_path(lang)} is stale, run `make i18n`: {sorted(map(str, stale))[:5]}"
    )


@pytest.mark.parametrize("lang", catalogues.js_languages())
def test_committed_js_catalogue_is_up_to_date(lang: str) -> None:
    path = translations.js_catalogue_path(lang)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
        catalogues.js_catalogue(lang)
    ), f"{path} is stale, run `make i18n`"


@pytest.mark.usefixtures("with_plugins")
def test_js_catalogue_is_installed_once(app, tmp_path) -> None:
    """The site copies the packaged file; a second start writes nothing."""
    expected = [f"{lang}.js" for lang in catalogues.js_languages()]
    assert [p.name for p in translations.install_js_catalogues(tmp_path)] == expected
    assert translations.install_js_catalogues(tmp_path) == []
    (tmp_path / "vi.js").write_text("{}", encoding="utf-8")
    assert [p.name for p in translations.install_js_catalogues(tmp_path)] == ["vi.js"]


@pytest.mark.usefixtures("with_plugins")
def test_javascript_strings_are_served_in_vietnamese(app) -> None:
    data = app.get("/api/i18n/vi").json
    missing = sorted(m for m in catalogues.js_msgids() if not (data.get(m) or [None, ""])[1])
    assert not missing, missing
    assert data["Are you sure you want to perform this action?"][1].startswith("Bạn có chắc")
    plural = data["Input is too short, must be at least one character"]
    assert plural[0] == "Input is too short, must be at least %(num)d characters"
    assert "%(num)d" in plural[1]


def test_our_template_holds_every_string_of_our_code() -> None:
    """ckanext-nd47.pot is up to date with our Python and Jinja (make i18n)."""
    found = set(catalogues.extract_package(translations.I18N_DIR.parent))
    missing = sorted(found - set(catalogues.our_msgids()))
    assert not missing, f"run `make i18n` and translate: {missing[:10]}"


OURS_VI = translations.I18N_DIR / "vi" / "LC_MESSAGES" / "ckanext-nd47.po"
# Terms docs/i18n.md rules out, with the glossary's word.
RULED_OUT = {"tập dữ liệu": "bộ dữ liệu", "tải về": "tải xuống"}


def test_our_catalogue_never_retranslates_an_upstream_msgid() -> None:
    """A msgid we share with CKAN or an extension has one Vietnamese text:
    ours wins in the merged catalogue, so a different one would change the
    upstream screens (a plan's own sense needs a msgctxt)."""
    upstream = {(m.context, m.id): m.string for m in _catalog(UPSTREAM_VI) if m.id and m.string}
    differ = [
        (m.id, m.string, upstream[(m.context, m.id)])
        for m in _catalog(OURS_VI)
        if m.id and m.string and upstream.get((m.context, m.id), m.string) != m.string
    ]
    assert not differ, differ


def test_vietnamese_catalogues_keep_to_the_glossary() -> None:
    found = [
        (m.id, term)
        for path in (OURS_VI, UPSTREAM_VI)
        for m in _catalog(path)
        if m.id and m.string
        for term in RULED_OUT
        for text in ([m.string] if isinstance(m.string, str) else list(m.string))
        if term in text.lower()
    ]
    assert not found, found


@pytest.mark.usefixtures("with_plugins")
def test_plan_labels_have_their_own_message_context(app) -> None:
    """A plan's sense of a short msgid ("Withdrawn": taken out of the plan)
    lives under msgctxt "nd47 plan"; CKAN's screens keep their own word."""
    import flask_babel

    from ckanext.nd47.plans import workflow

    with app.flask_app.test_request_context():
        with flask_babel.force_locale("vi"):
            assert workflow.label("item_status", "withdrawn") == "Rút khỏi kế hoạch"
            assert flask_babel.gettext("Withdrawn") != "Rút khỏi kế hoạch"
            assert flask_babel.gettext("Title") != "Tên kế hoạch"
            # a label without an entry of its own falls back to the shared one
            assert workflow.label("item_status", "published") == flask_babel.gettext("Published")
        with flask_babel.force_locale("en"):
            assert workflow.label("item_status", "withdrawn") == "Withdrawn"
    assert workflow.vi("Withdrawn") == "Rút khỏi kế hoạch"
    # every contextual entry is translated in the catalogue
    contextual = [m for m in _catalog(OURS_VI) if m.context == workflow.PLAN_CONTEXT]
    assert {m.id for m in contextual} == set(workflow.CONTEXTUAL)
    assert all(m.string for m in contextual)
