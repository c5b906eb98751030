"""The portal as a WSGI application, for gunicorn (or uwsgi): CKAN's own recipe.

    CKAN_INI=/etc/ckan/default/ckan.ini gunicorn --chdir deploy wsgi:application

``CKAN_INI`` names the configuration; ``CKAN_*`` environment variables
(``CKAN_SQLALCHEMY_URL``, ``CKAN_SOLR_URL``, ``CKAN_REDIS_URL``,
``CKAN_SITE_URL``, ``CKAN_STORAGE_PATH``...) override its options, as they do
for the ``ckan`` command. Each gunicorn worker builds its own application
after the fork (no ``--preload``): CKAN opens its database and Redis
connections while it loads, and those must not be shared between processes.
"""

from __future__ import annotations

import configparser
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

config_path = os.path.abspath(os.environ.get("CKAN_INI", "/etc/ckan/default/ckan.ini"))
# the [loggers] sections of the ini, as `ckan run` reads them (a config that
# only extends another with `use = config:...` may have none); gunicorn's own
# loggers (its access log) are already set up and must stay enabled
_sections = configparser.ConfigParser(interpolation=None)
_sections.read(config_path, encoding="utf-8")
if _sections.has_section("loggers"):
    fileConfig(
        config_path,
        defaults={"here": os.path.dirname(config_path)},
        disable_existing_loggers=False,
    )
application = make_app(CKANConfigLoader(config_path).get_config())
