"""Access requests for shared datasets (with their grant) and their audit trail.

Revision ID: 3c1f6a2d9b10
Revises:
Create Date: 2026-12-02 02:30:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

# revision identifiers, used by Alembic.
revision = "3c1f6a2d9b10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "nd47_sharing_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("requester_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("requester_user_id", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("legal_basis", sa.UnicodeText, nullable=False),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("contact", sa.UnicodeText, nullable=False),
        sa.Column("resource_ids", JSONB),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="pending", index=True),
        sa.Column("created", sa.DateTime),
        sa.Column("modified", sa.DateTime),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("grant_start", sa.Date),
        sa.Column("grant_end", sa.Date),
        sa.Column("granted_resource_ids", JSONB),
        sa.Column("refusal_reason", sa.UnicodeText),
        sa.Column("refusal_legal_basis", sa.UnicodeText),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.UnicodeText),
        sa.Column("revoke_reason", sa.UnicodeText),
    )
    op.create_table(
        "nd47_sharing_audit",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("timestamp", sa.DateTime, index=True),
        sa.Column("request_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
    )


def downgrade():
    op.drop_table("nd47_sharing_audit")
    op.drop_table("nd47_sharing_request")
