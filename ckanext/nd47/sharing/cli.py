"""``ckan nd47-sharing``: the sharing register from the command line.

The group is registered by the ``nd47_sharing`` plugin itself.
"""

from __future__ import annotations

import sys

import click


@click.group("nd47-sharing", short_help="Sharing between state agencies")
def sharing() -> None:
    """Sharing between state agencies: access requests and the register."""


def get_commands() -> list[click.Command]:
    """The ``ckan nd47-sharing`` group."""
    return [sharing]


@sharing.command("register")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--org", default=None, help="One agency (id or name); default every agency.")
def register_command(fmt: str, org: str | None) -> None:
    """Print the sharing register (per agency figures) as CSV or JSON."""
    import ckan.plugins.toolkit as tk

    from ckanext.nd47.sharing import export

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    data = {"org": org} if org else {}
    register = tk.get_action("nd47_share_register")({"user": site_user["name"]}, data)
    sys.stdout.buffer.write(export.render(register, fmt)[0])
