"""Alembic environment of the nd47_sharing plugin (ckanext/nd47/alembic_env.py)."""

from ckanext.nd47.alembic_env import run

run("nd47_sharing", table_prefixes=("nd47_sharing",))
