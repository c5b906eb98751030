"""Oversight tables: dataset facts, quality scores and link checks with history.

Revision ID: 5c0a9e1d2b47
Revises:
Create Date: 2026-12-02 02:30:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

# revision identifiers, used by Alembic.
revision = "5c0a9e1d2b47"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "nd47_dataset_fact",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("owner_org", sa.UnicodeText, index=True),
        sa.Column("name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("title", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("public_open", sa.Boolean, nullable=False, server_default="false", index=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("frequency", sa.UnicodeText),
        sa.Column("data_modified", sa.DateTime),
        sa.Column("stale_after", sa.DateTime, index=True),
        sa.Column("metadata_created", sa.DateTime),
        sa.Column("updated", sa.DateTime),
    )
    op.create_table(
        "nd47_quality_score",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("owner_org", sa.UnicodeText, index=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("band", sa.UnicodeText, nullable=False),
        sa.Column("dimensions", JSONB, nullable=False, server_default="{}"),
        sa.Column("indicators", JSONB, nullable=False, server_default="{}"),
        sa.Column("conformance_method", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("computed_at", sa.DateTime, index=True),
        sa.Column("latest", sa.Boolean, nullable=False, server_default="true"),
    )
    op.create_index("nd47_quality_score_latest_idx", "nd47_quality_score", ["package_id", "latest"])
    op.create_table(
        "nd47_link_check",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("owner_org", sa.UnicodeText, index=True),
        sa.Column("field", sa.UnicodeText, nullable=False),
        sa.Column("url", sa.UnicodeText, nullable=False, index=True),
        sa.Column("host", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("status_code", sa.Integer),
        sa.Column("ok", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("outcome", sa.UnicodeText, nullable=False, server_default="broken"),
        sa.Column("error", sa.UnicodeText),
        sa.Column("method", sa.UnicodeText),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("duration_ms", sa.Integer),
        sa.Column("checked_at", sa.DateTime, index=True),
        sa.Column("latest", sa.Boolean, nullable=False, server_default="true"),
    )
    op.create_index("nd47_link_check_latest_idx", "nd47_link_check", ["package_id", "latest"])


def downgrade():
    op.drop_table("nd47_link_check")
    op.drop_table("nd47_quality_score")
    op.drop_table("nd47_dataset_fact")
