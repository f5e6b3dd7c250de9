"""Self-reviews of real calls

Revision ID: slf0001aaaa
Revises: prs0001aaaa
Create Date: 2026-12-04 14:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'slf0001aaaa'
down_revision = 'prs0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lms_call_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('roleplay_id', sa.String(length=120), nullable=False),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('criteria', sa.JSON(), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('call_on', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('transcript', sa.Text(), nullable=False),
        sa.Column('self_scores', sa.JSON(), nullable=False),
        sa.Column('differently', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=True),
        sa.Column('coach_scores', sa.JSON(), nullable=True),
        sa.Column('coach_comment', sa.Text(), nullable=True),
        sa.Column('calibrated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['coach_id'], ['lms_user.id'], name=op.f('fk_lms_call_review_coach_id_lms_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_call_review_user_id_lms_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_call_review')),
    )
    op.create_index(op.f('ix_lms_call_review_user_id'), 'lms_call_review', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_lms_call_review_user_id'), table_name='lms_call_review')
    op.drop_table('lms_call_review')
