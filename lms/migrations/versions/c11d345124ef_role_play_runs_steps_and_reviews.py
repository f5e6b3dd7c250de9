"""role-play runs, steps and reviews

Revision ID: c11d345124ef
Revises: e955d7de9f5c
Create Date: 2026-11-23 18:28:49.498071
"""
import sqlalchemy as sa
from alembic import op

revision = 'c11d345124ef'
down_revision = 'e955d7de9f5c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_roleplay_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('roleplay_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('current_node', sa.String(length=120), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_roleplay_run_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_roleplay_run'))
    )
    with op.batch_alter_table('lms_roleplay_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_roleplay_run_roleplay_id'), ['roleplay_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_roleplay_run_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_lms_roleplay_run_open', ['user_id', 'roleplay_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('lms_roleplay_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.String(length=120), nullable=False),
    sa.Column('choice_id', sa.String(length=60), nullable=True),
    sa.Column('typed_reply', sa.Text(), nullable=True),
    sa.Column('persona_answer', sa.String(length=60), nullable=True),
    sa.Column('persona_correct', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['lms_roleplay_run.id'], name=op.f('fk_lms_roleplay_step_run_id_lms_roleplay_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_roleplay_step')),
    sa.UniqueConstraint('run_id', 'seq', name=op.f('uq_lms_roleplay_step_run_id_seq'))
    )
    with op.batch_alter_table('lms_roleplay_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_roleplay_step_run_id'), ['run_id'], unique=False)

    op.create_table('lms_reply_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['lms_user.id'], name=op.f('fk_lms_reply_review_coach_id_lms_user')),
    sa.ForeignKeyConstraint(['step_id'], ['lms_roleplay_step.id'], name=op.f('fk_lms_reply_review_step_id_lms_roleplay_step'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_reply_review')),
    sa.UniqueConstraint('step_id', name=op.f('uq_lms_reply_review_step_id'))
    )


def downgrade():
    op.drop_table('lms_reply_review')
    with op.batch_alter_table('lms_roleplay_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_roleplay_step_run_id'))

    op.drop_table('lms_roleplay_step')
    with op.batch_alter_table('lms_roleplay_run', schema=None) as batch_op:
        batch_op.drop_index('uq_lms_roleplay_run_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_lms_roleplay_run_user_id'))
        batch_op.drop_index(batch_op.f('ix_lms_roleplay_run_roleplay_id'))

    op.drop_table('lms_roleplay_run')
