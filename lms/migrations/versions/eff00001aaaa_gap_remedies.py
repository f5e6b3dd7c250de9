"""Gap remedies: which gap an assignment or a 1:1 was for, and the cell's score at that moment

Revision ID: eff00001aaaa
Revises: cult0001aaaa
Create Date: 2026-12-04 13:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'eff00001aaaa'
down_revision = 'cult0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lms_gap_remedy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=True),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('dimension', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=True),
        sa.Column('one_on_one_id', sa.Integer(), nullable=True),
        sa.Column('score_before', sa.Float(), nullable=True),
        sa.Column('evidence_before', sa.Integer(), nullable=False),
        sa.Column('status_before', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('assignment', 'one_on_one')", name=op.f('ck_lms_gap_remedy_kind')),
        sa.CheckConstraint('(assignment_id IS NULL) != (one_on_one_id IS NULL)',
                           name=op.f('ck_lms_gap_remedy_one_source')),
        sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_gap_remedy_user_id_lms_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['coach_id'], ['lms_user.id'], name=op.f('fk_lms_gap_remedy_coach_id_lms_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['assignment_id'], ['lms_assignment.id'],
                                name=op.f('fk_lms_gap_remedy_assignment_id_lms_assignment'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['one_on_one_id'], ['lms_one_on_one.id'],
                                name=op.f('fk_lms_gap_remedy_one_on_one_id_lms_one_on_one'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_gap_remedy')),
        sa.UniqueConstraint('assignment_id', name=op.f('uq_lms_gap_remedy_assignment_id')),
        sa.UniqueConstraint('one_on_one_id', name=op.f('uq_lms_gap_remedy_one_on_one_id')),
    )
    op.create_index(op.f('ix_lms_gap_remedy_user_id'), 'lms_gap_remedy', ['user_id'], unique=False)
    op.create_index(op.f('ix_lms_gap_remedy_created_at'), 'lms_gap_remedy', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_lms_gap_remedy_created_at'), table_name='lms_gap_remedy')
    op.drop_index(op.f('ix_lms_gap_remedy_user_id'), table_name='lms_gap_remedy')
    op.drop_table('lms_gap_remedy')
