"""people page: index lms_user by display name

Revision ID: b7e41c2d9a05
Revises: 5d2c7e8a91b4
Create Date: 2026-12-03 14:00:00
"""
from alembic import op

revision = 'b7e41c2d9a05'
down_revision = '5d2c7e8a91b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_lms_user_display_name_id', 'lms_user', ['display_name', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_lms_user_display_name_id', table_name='lms_user')
