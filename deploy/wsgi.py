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

import logging
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

config_path = os.path.abspath(os.environ.get("CKAN_INI", "/etc/ckan/default/ckan.ini"))
# CKAN's loader sets up logging from the ini's [loggers] sections with
# fileConfig's default, which disables every logger set up before it:
# gunicorn's access and error logs. They are turned back on.
_already_set_up = [
    logger
    for logger in logging.root.manager.loggerDict.values()
    if isinstance(logger, logging.Logger) and not logger.disabled
]
_config = CKANConfigLoader(config_path).get_config()
for _logger in _already_set_up:
    _logger.disabled = False
application = make_app(_config)
