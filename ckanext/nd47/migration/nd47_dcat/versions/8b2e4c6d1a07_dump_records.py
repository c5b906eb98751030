"""The dump's per-dataset records: each public dataset's output, ready to concatenate.

Revision ID: 8b2e4c6d1a07
Revises:
Create Date: 2026-12-02 05:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8b2e4c6d1a07"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "nd47_dcat_record",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("stamp", sa.UnicodeText, nullable=False),
        sa.Column("ttl", sa.LargeBinary, nullable=False),
        sa.Column("nt", sa.LargeBinary, nullable=False),
        sa.Column("rdf", sa.LargeBinary, nullable=False),
    )


def downgrade():
    op.drop_table("nd47_dcat_record")
