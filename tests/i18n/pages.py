"""The pages the Vietnamese browser test visits: one list, easy to extend.

A path may use {dataset}, {resource} and {agency}: the names/ids of the data
the test creates. ``login`` pages are visited as a sysadmin. Pages of our own
plugins go in OUR_PAGES (e.g. Page("plans", "/plan/", login=True)).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    login: bool = False
    screenshot: bool = False


CORE_PAGES: list[Page] = [
    Page("home", "/", screenshot=True),
    Page("dataset-search", "/dataset/"),
    Page("dataset", "/dataset/{dataset}", screenshot=True),
    Page("resource", "/dataset/{dataset}/resource/{resource}", screenshot=True),
    Page("agency", "/organization/{agency}"),
    Page("agency-list", "/organization/"),
    Page("group-list", "/group/"),
    Page("about", "/about"),
    Page("login", "/user/login"),
    Page("register", "/user/register"),
    Page("dashboard", "/dashboard/datasets", login=True),
    Page("user", "/user/{user}", login=True),
    Page("sysadmin-config", "/ckan-admin/config", login=True),
    Page("sysadmin", "/ckan-admin/", login=True),
    Page("dataset-new", "/dataset/new", login=True),
    Page("dataset-edit", "/dataset/edit/{dataset}", login=True),
]

# Pages of the ckanext-nd47 plugins in this branch (none yet: the plan,
# feedback and DCAT pages arrive with their branches).
OUR_PAGES: list[Page] = []

PAGES: list[Page] = CORE_PAGES + OUR_PAGES
