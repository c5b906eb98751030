"""Alembic environment of the nd47_feedback plugin (ckanext/nd47/alembic_env.py)."""

from ckanext.nd47.alembic_env import run

run("nd47_feedback", table_prefixes=("nd47_feedback",))
