"""Evidence you can trust: attempts draw their items and shuffle their options, answers are
saved as they are given, each graded attempt keeps its points per topic x dimension, a spaced
re-quiz remembers the item it last asked, role-play runs shuffle their choices, and the support
pulse.

Support is no longer a quiz item: the support evidence quiz and practice answers wrote before
(agreement items about the agent) is removed, and those agents' running sums folded again.

Revision ID: 110f9e1ea3ae
Revises: aa2986de8524
Create Date: 2026-12-03 10:40:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.gaps import folding


revision = '110f9e1ea3ae'
down_revision = 'aa2986de8524'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('lms_quiz_attempt', sa.Column('closed_by', sa.String(length=16), nullable=True))
    op.add_column('lms_quiz_attempt', sa.Column('locale', sa.String(length=8), nullable=True))
    op.add_column('lms_attempt_answer', sa.Column('position', sa.Integer(), nullable=True))
    op.add_column('lms_attempt_answer', sa.Column('option_order', sa.JSON(), nullable=True))
    op.add_column('lms_attempt_answer', sa.Column('saved_at', sa.DateTime(), nullable=True))
    op.add_column('lms_attempt_answer', sa.Column('locale', sa.String(length=8), nullable=True))
    op.add_column('lms_attempt_answer', sa.Column('rest_score', sa.Float(), nullable=True))
    op.create_index('ix_lms_attempt_answer_stats', 'lms_attempt_answer',
                    ['item_id', 'response', 'value', 'rest_score', 'locale'], unique=False)
    op.add_column('lms_roleplay_run', sa.Column('shuffle_seed', sa.Integer(), nullable=True))
    op.add_column('lms_spaced_item', sa.Column('last_shown_id', sa.String(length=120), nullable=True))
    op.add_column('lms_reply_review', sa.Column('max_points', sa.Integer(), server_default=sa.text('4'),
                                                nullable=False))
    op.create_table('lms_attempt_score',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('points_sq', sa.Float(), nullable=False),
    sa.Column('max_points', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['lms_quiz_attempt.id'], name=op.f('fk_lms_attempt_score_attempt_id_lms_quiz_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', 'topic', 'dimension', name=op.f('pk_lms_attempt_score'))
    )
    op.create_table('lms_pulse_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_pulse_receipt_team_id_lms_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_pulse_receipt_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_pulse_receipt')),
    sa.UniqueConstraint('user_id', 'period_start', name=op.f('uq_lms_pulse_receipt_user_id_period_start'))
    )
    op.create_index(op.f('ix_lms_pulse_receipt_team_id'), 'lms_pulse_receipt', ['team_id'], unique=False)
    op.create_table('lms_pulse_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('item_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('reversed', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_pulse_tally_team_id_lms_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_pulse_tally')),
    sa.UniqueConstraint('team_id', 'period_start', 'item_id', 'answer', name=op.f('uq_lms_pulse_tally_team_id_period_start_item_id_answer'))
    )
    bind = op.get_bind()
    quiz_support = "FROM lms_evidence WHERE source IN ('quiz', 'practice') AND dimension = 'support'"
    users = [row[0] for row in bind.exec_driver_sql(f"SELECT DISTINCT user_id {quiz_support}")]
    bind.exec_driver_sql(f"DELETE {quiz_support}")
    if users:
        folding.rebuild(Session(bind=bind), users)


def downgrade():
    op.drop_table('lms_attempt_score')
    op.drop_table('lms_pulse_tally')
    op.drop_index(op.f('ix_lms_pulse_receipt_team_id'), table_name='lms_pulse_receipt')
    op.drop_table('lms_pulse_receipt')
    with op.batch_alter_table('lms_reply_review') as batch:
        batch.drop_column('max_points')
    with op.batch_alter_table('lms_spaced_item') as batch:
        batch.drop_column('last_shown_id')
    with op.batch_alter_table('lms_roleplay_run') as batch:
        batch.drop_column('shuffle_seed')
    op.drop_index('ix_lms_attempt_answer_stats', table_name='lms_attempt_answer')
    with op.batch_alter_table('lms_attempt_answer') as batch:
        batch.drop_column('rest_score')
        batch.drop_column('locale')
        batch.drop_column('saved_at')
        batch.drop_column('option_order')
        batch.drop_column('position')
    with op.batch_alter_table('lms_quiz_attempt') as batch:
        batch.drop_column('locale')
        batch.drop_column('closed_by')
