"""gap settings per site

Revision ID: f4c5673c456e
Revises: c11d345124ef
Create Date: 2026-11-23 18:34:46.176055
"""
import sqlalchemy as sa
from alembic import op

revision = 'f4c5673c456e'
down_revision = 'c11d345124ef'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_gap_setting',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('half_life_days', sa.Float(), nullable=False),
    sa.Column('min_evidence', sa.Integer(), nullable=False),
    sa.Column('review_window_days', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_gap_setting_site_id_lms_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_lms_gap_setting'))
    )


def downgrade():
    op.drop_table('lms_gap_setting')
