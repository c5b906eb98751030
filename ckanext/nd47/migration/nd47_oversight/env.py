"""Alembic environment of the nd47_oversight plugin (ckanext/nd47/alembic_env.py)."""

from ckanext.nd47.alembic_env import run

run("nd47_oversight", table_prefixes=("nd47_dataset_fact", "nd47_quality_score", "nd47_link_check"))
