"""The Alembic environment every plugin of this package runs its migrations in.

CKAN looks for a plugin's migrations in ``ckanext/nd47/migration/<plugin>/``;
each folder's ``env.py`` only calls ``run`` with its plugin's name and the
prefixes of its tables. The version table is ``<plugin>_alembic_version``, and
autogenerate looks only at the plugin's own tables.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool

__all__ = ["run"]


def run(plugin: str, table_prefixes: tuple[str, ...]) -> None:
    """Run the migrations of ``plugin`` (offline or online, as Alembic was asked)."""
    config = context.config
    fileConfig(config.config_file_name)

    def include_object(obj: Any, object_name: str, type_: str, *args: Any) -> bool:
        return object_name.startswith(table_prefixes) if type_ == "table" else True

    options = {
        "target_metadata": metadata,
        "version_table": f"{plugin}_alembic_version",
        "include_object": include_object,
    }
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
