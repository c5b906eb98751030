"""The write side of the plan tracker: apply values, record the audit trail,
move items along the workflow, link datasets and follow their changes.

Actions, the dataset hooks and the importer all write through these
functions, so each rule lives once. Nothing here commits: the caller does.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.nd47.logic import freshness
from ckanext.nd47.logic.rules import OPEN_SHARING_CLASS, is_open_public
from ckanext.nd47.plans import workflow
from ckanext.nd47.plans.logic.auth import may_read_dataset
from ckanext.nd47.plans.logic.dictization import plain
from ckanext.nd47.plans.model import Plan, PlanAudit, PlanItem, items_linked_to, utcnow

__all__ = [
    "apply",
    "check_dataset",
    "check_transition",
    "dataset_field",
    "link",
    "record",
    "set_status",
    "sync_dataset",
    "transition_error",
    "user_id",
]

log = logging.getLogger(__name__)


def user_id(context: dict[str, Any]) -> str | None:
    obj = context.get("auth_user_obj")
    if obj is not None and getattr(obj, "id", None):
        return obj.id
    name = context.get("user")
    user = model.User.get(name) if name else None
    return user.id if user else None


def record(
    context: dict[str, Any],
    plan_id: str,
    object_type: str,
    action: str,
    changes: dict[str, Any] | None = None,
    item_id: str | None = None,
    reason: str | None = None,
) -> None:
    model.Session.add(
        PlanAudit(
            user_id=user_id(context),
            plan_id=plan_id,
            item_id=item_id,
            object_type=object_type,
            action=action,
            changes=changes or {},
            reason=reason,
            timestamp=utcnow(),
        )
    )


def apply(obj: Plan | PlanItem, values: dict[str, Any], fields: tuple[str, ...]) -> dict:
    """Set the given fields; return {field: [from, to]} of what really changed."""
    changes: dict[str, Any] = {}
    for field in fields:
        if field not in values:
            continue
        new = values[field]
        if new == "":
            new = None
        old = getattr(obj, field)
        if old != new:
            changes[field] = [plain(old), plain(new)]
            setattr(obj, field, new)
    if changes:
        obj.modified = utcnow()
    return changes


# --- workflow ---------------------------------------------------------------------
def transition_error(
    current: str, to: str, allowed: tuple[str, ...], table: str = "item_status"
) -> tk.ValidationError:
    """The one error of an illegal move, for plans and items, in status labels."""
    label = partial(workflow.label, table)
    return tk.ValidationError(
        {
            "status": [
                tk._('Cannot move from "%(from)s" to "%(to)s". Allowed next states: %(allowed)s')
                % {
                    "from": label(current),
                    "to": label(to),
                    "allowed": ", ".join(f'"{label(s)}"' for s in allowed) or "-",
                }
            ]
        }
    )


def set_status(
    context: dict[str, Any],
    item: PlanItem,
    to: str,
    reason: str | None = None,
    category: str | None = None,
    action: str = "status",
) -> None:
    """Move an item and write the audit row (no checks: callers check)."""
    changes = {"status": [item.status, to]}
    if (item.reason_category or None) != (category or None):
        changes["reason_category"] = [item.reason_category, category]
    item.status = to
    item.status_reason = reason
    item.reason_category = category
    item.status_changed = item.modified = utcnow()
    record(context, item.plan_id, "item", action, changes, item_id=item.id, reason=reason)


def check_transition(item: PlanItem, to: str, reason: str | None, category: str | None) -> None:
    """Raise ValidationError unless a person may move ``item`` to ``to``."""
    allowed = workflow.ITEM_TRANSITIONS[item.status]
    if to not in allowed:
        raise transition_error(item.status, to, allowed)
    errors: dict[str, list[str]] = {}
    if to in workflow.REASON_REQUIRED and not reason:
        errors["reason"] = [tk._("A reason is required for this status")]
    if to == workflow.CANNOT_BE_OPENED and not category:
        errors["reason_category"] = [
            tk._("Choose why the data cannot be opened: %(allowed)s")
            % {
                "allowed": ", ".join(
                    workflow.label("reason_category", c) for c in workflow.REASON_CATEGORIES
                )
            }
        ]
    if to == workflow.PUBLISHED and not _dataset_is_open(item.package_id):
        errors["package_id"] = [
            tk._("An item is published when its linked dataset is public and open")
        ]
    if errors:
        raise tk.ValidationError(errors)


# --- linked datasets -------------------------------------------------------------------
def dataset_field(pkg_dict: dict[str, Any], key: str) -> Any:
    """The ONE place that reads a custom field of a dataset dict.

    The scheming schema puts fields such as ``sharing_class`` and
    ``plan_item`` at the top level; CKAN's default schema keeps them among the
    extras. Either works.
    """
    if key in pkg_dict:
        return pkg_dict[key]
    for extra in pkg_dict.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


def check_dataset(context: dict[str, Any], plan: Plan, package_id: str) -> str | None:
    """Why ``package_id`` may not be linked to an item of ``plan`` (None: it may).

    Only a dataset of the plan's own agency that the user may read. A dataset
    the user may not read gets the same answer as one that does not exist,
    so private names cannot be probed.
    """
    pkg = model.Package.get(package_id)
    if pkg is None or pkg.state == "deleted" or not may_read_dataset(context, pkg):
        return tk._("Dataset not found")
    if pkg.owner_org != plan.owner_org:
        return tk._("Link only datasets of the plan's agency")
    return None


def _open_public(pkg_dict: dict[str, Any]) -> bool:
    """Public and open, by the shared rule (``rules.is_open_public``)."""
    return is_open_public({**pkg_dict, "sharing_class": dataset_field(pkg_dict, "sharing_class")})


def _dataset_dict(package_id: str | None) -> dict[str, Any] | None:
    if not package_id:
        return None
    try:
        return tk.get_action("package_show")(
            {"ignore_auth": True, "use_cache": False}, {"id": package_id}
        )
    except tk.ObjectNotFound:
        return None


def _dataset_is_open(package_id: str | None) -> bool:
    pkg = _dataset_dict(package_id)
    return bool(pkg and _open_public(pkg))


def _unpublish_reason(pkg: dict[str, Any] | None) -> str:
    # The cause, not its consequence: leaving the open class also makes the
    # dataset private (schema rule), so the class is checked first.
    if not pkg or pkg.get("state") == "deleted":
        return "dataset_deleted"
    if dataset_field(pkg, "sharing_class") != OPEN_SHARING_CLASS:
        return "dataset_not_open"
    if pkg.get("private"):
        return "dataset_private"
    return "dataset_not_open"


def _record_data_change(item: PlanItem, pkg: dict[str, Any] | None) -> None:
    """Keep the linked data's last change, which "update overdue" compares."""
    when = freshness.dataset_last_change(pkg) if pkg else None
    if item.data_modified != when:
        item.data_modified = when
        item.modified = utcnow()


def _sync_item(context: dict[str, Any], item: PlanItem, pkg: dict[str, Any] | None) -> bool:
    """Follow the linked dataset: public and open -> published; otherwise back to review.

    An item leaves "published" for "in review" (not its state before) because
    the dataset has to pass the personal-data and security review again
    before it is republished. Side exits are never changed automatically.
    """
    _record_data_change(item, pkg)
    if pkg is not None and _open_public(pkg):
        if item.status in workflow.ACTIVE:
            set_status(context, item, workflow.PUBLISHED, reason="dataset_published", action="auto")
            return True
    elif item.status == workflow.PUBLISHED:
        set_status(context, item, workflow.IN_REVIEW, reason=_unpublish_reason(pkg), action="auto")
        return True
    return False


def _claimed_item(context: dict[str, Any], pkg: dict[str, Any], item_id: str) -> None:
    """Link the item ``item_id`` that the changed dataset ``pkg`` names in its ``plan_item``.

    The id comes from the change, not from ``pkg`` (the stored dataset keeps
    no ``plan_item``). Only an item of the dataset's own agency is linked;
    anything else is ignored (and logged), so a publisher cannot move another
    agency's plan (the chained ``package_create``/``package_update`` refuse
    such a claim with a validation error before this).
    """
    item = model.Session.get(PlanItem, item_id)
    if item is None or item.package_id == pkg["id"]:
        return
    plan = model.Session.get(Plan, item.plan_id)
    if plan is None or plan.owner_org != pkg.get("owner_org"):
        log.warning("nd47_plans: dataset %s names item %s of another agency", pkg["id"], item_id)
        return
    link(context, item, pkg["id"])


def sync_dataset(
    context: dict[str, Any],
    package_id: str,
    deleted: bool = False,
    changed: dict[str, Any] | None = None,
) -> int:
    """Called on dataset create/update/delete: move the items linked to it.

    ``deleted``: CKAN calls ``after_dataset_delete`` before it marks the
    dataset deleted, so the caller says so. ``changed``: the dict the hook
    received; when no item is linked and it names no ``plan_item``, nothing
    else is read, so unrelated dataset updates stay cheap. Every move happens
    in the dataset's own transaction: all of them or none.
    """
    pkg_obj = model.Package.get(package_id)
    real_id = pkg_obj.id if pkg_obj else package_id
    claimed = None if deleted else dataset_field(changed or {}, "plan_item")
    query = items_linked_to(real_id)
    if not claimed and not query.first():
        return 0
    pkg = _dataset_dict(real_id)
    if deleted and pkg is not None:
        pkg = {**pkg, "state": "deleted"}
    if claimed and pkg is not None:
        _claimed_item(context, pkg, claimed)
    moved = sum(_sync_item(context, item, pkg) for item in query.all())
    if moved:
        log.info("nd47_plans: %s item(s) follow dataset %s", moved, real_id)
    return moved


def link(context: dict[str, Any], item: PlanItem, package_id: str) -> None:
    """Link ``item`` to a dataset id ("" unlinks) and let the dataset move it."""
    old = item.package_id
    if (old or "") == (package_id or ""):
        return
    item.package_id = package_id or None
    item.modified = utcnow()
    record(context, item.plan_id, "item", "link", {"package_id": [old, item.package_id]}, item.id)
    if item.package_id:
        _sync_item(context, item, _dataset_dict(item.package_id))
        return
    item.data_modified = None
    if item.status == workflow.PUBLISHED:
        set_status(context, item, workflow.IN_REVIEW, reason="dataset_unlinked", action="auto")
