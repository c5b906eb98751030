"""Alembic environment of the nd47_dcat plugin (ckanext/nd47/alembic_env.py)."""

from ckanext.nd47.alembic_env import run

run("nd47_dcat", table_prefixes=("nd47_dcat",))
