"""Alembic environment of the nd47_plans plugin (ckanext/nd47/alembic_env.py)."""

from ckanext.nd47.alembic_env import run

run("nd47_plans", table_prefixes=("nd47_plan", "nd47_opendata_list"))
