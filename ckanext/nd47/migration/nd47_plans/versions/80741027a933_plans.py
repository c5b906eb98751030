"""Open-data plans, plan items and their append-only audit trail.

Until 0.1.0 this revision belonged to the ``nd47`` plugin (version table
``nd47_alembic_version``). On such a site the tables already exist: the
upgrade adopts them, rows included, and clears the old version table, so
``ckan db upgrade -p nd47_plans`` is the whole upgrade step.

Revision ID: 80741027a933
Revises:
Create Date: 2026-11-26 08:50:24.033216

"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

# revision identifiers, used by Alembic.
revision = "80741027a933"
down_revision = None
branch_labels = None
depends_on = None


# the version table of the 0.1.0 layout, whose only revision was this one
LEGACY_VERSION_TABLE = "nd47_alembic_version"


def upgrade():
    inspector = sa.inspect(op.get_bind())
    if inspector.has_table("nd47_plan"):
        _adopt_legacy(inspector)
    else:
        create_tables()


def _adopt_legacy(inspector: Any) -> None:  # sa.Inspector (SQLAlchemy 2 only)
    """Keep the 0.1.0 tables and their rows; take this revision out of nd47's version table."""
    if not inspector.has_table(LEGACY_VERSION_TABLE):
        return
    bind = op.get_bind()
    bind.execute(
        sa.text(f"DELETE FROM {LEGACY_VERSION_TABLE} WHERE version_num = :rev"), {"rev": revision}
    )
    # nd47 has no migrations of its own: an emptied table is left-over state
    if bind.execute(sa.text(f"SELECT count(*) FROM {LEGACY_VERSION_TABLE}")).scalar() == 0:
        op.drop_table(LEGACY_VERSION_TABLE)


def create_tables():
    """The tables as the 0.1.0 migration created them."""
    op.create_table(
        "nd47_plan",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="draft"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("decision_number", sa.UnicodeText),
        sa.Column("decision_date", sa.Date),
        sa.Column("decision_signer", sa.UnicodeText),
        sa.Column("decision_url", sa.UnicodeText),
        sa.Column("last_review", sa.Date),
        sa.Column("next_review_due", sa.Date),
        sa.Column("approved_by", sa.UnicodeText),
        sa.Column("approved_at", sa.DateTime),
        sa.Column("creator_user_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("owner_org", "period", name="nd47_plan_org_period_key"),
    )
    op.create_table(
        "nd47_plan_item",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "plan_id",
            sa.UnicodeText,
            sa.ForeignKey("nd47_plan.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("code", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("theme", sa.UnicodeText, index=True),
        sa.Column("description", sa.UnicodeText),
        sa.Column("source_database", sa.UnicodeText),
        sa.Column("formats", sa.UnicodeText),
        sa.Column("access_mode", sa.UnicodeText),
        sa.Column("update_cadence", sa.UnicodeText),
        sa.Column("due_date", sa.Date),
        sa.Column("priority", sa.UnicodeText),
        sa.Column("lead_agency", sa.UnicodeText),
        sa.Column("cooperating_agencies", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="planned"),
        sa.Column("status_reason", sa.UnicodeText),
        sa.Column("reason_category", sa.UnicodeText),
        sa.Column("status_changed", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("plan_id", "code", name="nd47_plan_item_plan_code_key"),
    )
    op.create_table(
        "nd47_plan_audit",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("timestamp", sa.DateTime, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("plan_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("item_id", sa.UnicodeText, index=True),
        sa.Column("object_type", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("changes", JSONB, nullable=False, server_default="{}"),
        sa.Column("reason", sa.UnicodeText),
    )


def downgrade():
    op.drop_table("nd47_plan_audit")
    op.drop_table("nd47_plan_item")
    op.drop_table("nd47_plan")
