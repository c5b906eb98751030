"""The "last sent" record of each agency's open-data list.

Revision ID: 5c1d2e3f4a5b
Revises: 80741027a933
Create Date: 2026-12-02 03:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1d2e3f4a5b"
down_revision = "80741027a933"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "nd47_opendata_list_sent",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("rows", sa.Integer, nullable=False, server_default="0"),
        sa.Column("checksum", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("note", sa.UnicodeText),
    )


def downgrade():
    op.drop_table("nd47_opendata_list_sent")
