"""item statistics: the sums a job took, which the admin page shows

Revision ID: itm0001aaaa
Revises: qat0001aaaa
Create Date: 2026-12-04 17:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'itm0001aaaa'
down_revision = 'qat0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lms_item_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('sums', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_item_snapshot')),
    )
    op.create_index(op.f('ix_lms_item_snapshot_taken_at'), 'lms_item_snapshot', ['taken_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_lms_item_snapshot_taken_at'), table_name='lms_item_snapshot')
    op.drop_table('lms_item_snapshot')
