"""Template helpers of the nd47_feedback pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.nd47.feedback import dataset_page, terms
from ckanext.nd47.feedback import workflow as wf

__all__ = [
    "nd47_feedback_citation",
    "nd47_feedback_facts",
    "nd47_feedback_label",
    "nd47_feedback_licence",
    "nd47_feedback_outline",
    "nd47_feedback_preview",
    "nd47_feedback_sharing",
    "nd47_feedback_size",
    "nd47_feedback_limit",
    "nd47_feedback_plan_item_url",
    "nd47_feedback_post_url",
    "nd47_feedback_recaptcha_key",
]


def nd47_feedback_label(table: str, code: str | None) -> str:
    """The translated label of a kind, status or visibility code."""
    return wf.label(table, code)


def nd47_feedback_limit(name: str) -> int:
    """A content limit (``max_title_length``, ``max_body_length``) for the forms."""
    return tk.config.get(f"ckanext.nd47.feedback.{name}")


def nd47_feedback_recaptcha_key() -> str:
    """CKAN's reCAPTCHA public key when the portal checks reCAPTCHA, else ""."""
    if not tk.config.get("ckan.recaptcha.privatekey"):
        return ""
    return tk.config.get("ckan.recaptcha.publickey") or ""


def nd47_feedback_post_url(package: str | None, thread_id: str) -> Callable[[str], str]:
    """verb -> URL of the form acting on a thread (a dataset's, or a request)."""

    def url(verb: str) -> str:
        if package:
            return tk.url_for(
                "nd47_feedback.feedback_post", id=package, feedback_id=thread_id, verb=verb
            )
        return tk.url_for("nd47_feedback.request_post", id=thread_id, verb=verb)

    return url


def nd47_feedback_plan_item_url(item_id: str) -> str:
    """The plan item's page when the plans plugin serves one, else ""."""
    try:
        return tk.url_for("nd47_plans.item_read", item_id=item_id)
    except Exception:  # plans pages not enabled: werkzeug BuildError
        return ""


# --- the citizen's dataset page ---------------------------------------------------


def nd47_feedback_facts(pkg: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows of the dataset summary, with labels for codes."""
    return dataset_page.facts(pkg)


def nd47_feedback_outline(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The spatial coverage as SVG paths and points, or None."""
    return dataset_page.outline(pkg)


def nd47_feedback_preview(resource: dict[str, Any]) -> dict[str, Any] | None:
    """First rows of a small uploaded CSV resource, or None."""
    return dataset_page.csv_preview(resource)


def nd47_feedback_size(size: Any) -> str:
    """A resource's size in words, "" when unknown."""
    return dataset_page.size_label(size)


def nd47_feedback_licence(pkg: dict[str, Any]) -> terms.LicenceTerms | None:
    """The dataset's licence in words: what one may do, and the conditions."""
    return terms.licence_terms(pkg.get("license_id"))


def nd47_feedback_sharing(pkg: dict[str, Any]) -> dict[str, Any]:
    """The sharing class label and whether the dataset is open to everyone."""
    return terms.sharing_words(pkg)


def nd47_feedback_citation(pkg: dict[str, Any]) -> dict[str, Any]:
    """How to cite the dataset (``nd47_dataset_citation``)."""
    return tk.get_action("nd47_dataset_citation")({}, {"id": pkg["id"]})
