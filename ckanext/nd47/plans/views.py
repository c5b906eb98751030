"""Plan pages. They only call actions."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["nd47_plans"]

nd47_plans = Blueprint("nd47_plans", __name__)
