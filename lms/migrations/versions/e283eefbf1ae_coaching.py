"""Coaching: assignments, spaced re-quiz items, help requests, 1:1s, notifications, digests.

Revision ID: e283eefbf1ae
Revises: a6df9b919319
Create Date: 2026-12-01 12:11:44.070493
"""
from alembic import op
import sqlalchemy as sa


revision = 'e283eefbf1ae'
down_revision = 'a6df9b919319'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('module', 'quiz', 'roleplay')", name=op.f('ck_lms_assignment_kind')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['lms_user.id'], name=op.f('fk_lms_assignment_assigned_by_id_lms_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_assignment_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_assignment'))
    )
    with op.batch_alter_table('lms_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_assignment_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_assignment_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_lms_assignment_open', ['user_id', 'kind', 'target_id'], unique=True, sqlite_where=sa.text('completed_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('completed_at IS NULL AND cancelled_at IS NULL'))

    op.create_table('lms_digest_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_digest_sent_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_digest_sent')),
    sa.UniqueConstraint('user_id', 'day', name=op.f('uq_lms_digest_sent_user_id_day'))
    )
    op.create_table('lms_help_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("subject_kind IN ('lesson', 'item')", name=op.f('ck_lms_help_request_subject_kind')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['lms_user.id'], name=op.f('fk_lms_help_request_answered_by_id_lms_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_help_request_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_help_request'))
    )
    with op.batch_alter_table('lms_help_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_help_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_help_request_user_id'), ['user_id'], unique=False)

    op.create_table('lms_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('endpoint', sa.String(length=80), nullable=False),
    sa.Column('endpoint_args', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_notification_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_notification'))
    )
    with op.batch_alter_table('lms_notification', schema=None) as batch_op:
        batch_op.create_index('ix_lms_notification_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('lms_one_on_one',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('discussed', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['lms_user.id'], name=op.f('fk_lms_one_on_one_coach_id_lms_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_one_on_one_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_one_on_one'))
    )
    with op.batch_alter_table('lms_one_on_one', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_one_on_one_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_one_on_one_user_id'), ['user_id'], unique=False)

    op.create_table('lms_practice_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_practice_round_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_practice_round'))
    )
    with op.batch_alter_table('lms_practice_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_practice_round_user_id'), ['user_id'], unique=False)

    op.create_table('lms_spaced_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('streak', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('missed_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_spaced_item_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_spaced_item')),
    sa.UniqueConstraint('user_id', 'item_id', name=op.f('uq_lms_spaced_item_user_id_item_id'))
    )
    with op.batch_alter_table('lms_gap_setting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_days', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('help_window_days', sa.Float(), nullable=True))

    with op.batch_alter_table('lms_quiz_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=32), nullable=True))



def downgrade():
    with op.batch_alter_table('lms_quiz_attempt', schema=None) as batch_op:
        batch_op.drop_column('topic')

    with op.batch_alter_table('lms_gap_setting', schema=None) as batch_op:
        batch_op.drop_column('help_window_days')
        batch_op.drop_column('followup_days')

    op.drop_table('lms_spaced_item')
    with op.batch_alter_table('lms_practice_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_practice_round_user_id'))

    op.drop_table('lms_practice_round')
    with op.batch_alter_table('lms_one_on_one', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_one_on_one_user_id'))
        batch_op.drop_index(batch_op.f('ix_lms_one_on_one_created_at'))

    op.drop_table('lms_one_on_one')
    with op.batch_alter_table('lms_notification', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_notification_unread')

    op.drop_table('lms_notification')
    with op.batch_alter_table('lms_help_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_help_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_lms_help_request_created_at'))

    op.drop_table('lms_help_request')
    op.drop_table('lms_digest_sent')
    with op.batch_alter_table('lms_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_lms_assignment_open', sqlite_where=sa.text('completed_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('completed_at IS NULL AND cancelled_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_lms_assignment_user_id'))
        batch_op.drop_index(batch_op.f('ix_lms_assignment_created_at'))

    op.drop_table('lms_assignment')
