"""Feedback on datasets, requests for new data, answers and followers.

Revision ID: 3f1c2a9d5b10
Revises:
Create Date: 2026-12-02 02:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f1c2a9d5b10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "nd47_feedback",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, index=True),
        sa.Column("owner_org", sa.UnicodeText, index=True),
        sa.Column("title", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("author_user_id", sa.UnicodeText),
        sa.Column("author_name", sa.UnicodeText),
        sa.Column("author_email", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="new", index=True),
        sa.Column("visibility", sa.UnicodeText, nullable=False, server_default="public"),
        sa.Column("plan_item_id", sa.UnicodeText, index=True),
        sa.Column("search_text", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, index=True),
        sa.Column("modified", sa.DateTime),
    )
    op.create_table(
        "nd47_feedback_answer",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "feedback_id",
            sa.UnicodeText,
            sa.ForeignKey("nd47_feedback.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("automatic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime),
    )
    op.create_table(
        "nd47_feedback_follower",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "feedback_id",
            sa.UnicodeText,
            sa.ForeignKey("nd47_feedback.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("email", sa.UnicodeText),
        sa.Column("created", sa.DateTime),
        sa.UniqueConstraint("feedback_id", "user_id", name="nd47_feedback_follower_user_key"),
        sa.UniqueConstraint("feedback_id", "email", name="nd47_feedback_follower_email_key"),
    )


def downgrade():
    op.drop_table("nd47_feedback_follower")
    op.drop_table("nd47_feedback_answer")
    op.drop_table("nd47_feedback")
