"""Dataset URL names (slugs) proposed from the Vietnamese title.

"Dữ liệu dân cư" -> ``du-lieu-dan-cu``; unique within the site with ``-2``,
``-3``... suffixes checked against the database.
"""

from __future__ import annotations

from slugify import slugify

from ckanext.nd47.text import fold

__all__ = ["slug_from_title", "unique_dataset_name"]

# CKAN dataset names: 2-100 characters of a-z, 0-9, "-" and "_".
MAX_LENGTH = 100
MIN_LENGTH = 2


def slug_from_title(title: str) -> str:
    """The URL name for a title: folded (đ→d), lower case, hyphen-separated."""
    slug = slugify(fold(title or ""), max_length=MAX_LENGTH, word_boundary=True)
    if len(slug) < MIN_LENGTH:
        slug = (slug + "-dataset").strip("-") if slug else "dataset"
    return slug


def _taken(name: str, exclude_id: str | None) -> bool:
    from ckan import model

    pkg = model.Package.get(name)
    if pkg is None:
        return False
    return pkg.id != exclude_id


def unique_dataset_name(title: str, exclude_id: str | None = None) -> str:
    """A slug for ``title`` that no other dataset (of any state) uses yet."""
    base = slug_from_title(title)
    name, n = base, 1
    while _taken(name, exclude_id):
        n += 1
        suffix = f"-{n}"
        name = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return name
