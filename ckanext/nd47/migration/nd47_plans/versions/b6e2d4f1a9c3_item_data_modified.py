"""Plan items keep the linked dataset's last data change.

"Update overdue" compares the data's last change (resources' last
modification or the dataset's ``modified``), never ``metadata_modified``.
Items linked before this revision get the date at the next change or link
of their dataset; until then they are not "update overdue".

Revision ID: b6e2d4f1a9c3
Revises: 5c1d2e3f4a5b
Create Date: 2026-12-02 04:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b6e2d4f1a9c3"
down_revision = "5c1d2e3f4a5b"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("nd47_plan_item", sa.Column("data_modified", sa.DateTime))


def downgrade():
    op.drop_column("nd47_plan_item", "data_modified")
