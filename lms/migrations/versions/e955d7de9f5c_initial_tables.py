"""initial tables

Revision ID: e955d7de9f5c
Revises:
Create Date: 2026-11-23 18:14:01.115025
"""
import sqlalchemy as sa
from alembic import op

revision = 'e955d7de9f5c'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_login_failure'))
    )
    with op.batch_alter_table('lms_login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_login_failure_failed_at'), ['failed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_login_failure_key'), ['key'], unique=False)

    op.create_table('lms_site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_site')),
    sa.UniqueConstraint('name', name=op.f('uq_lms_site_name'))
    )
    op.create_table('lms_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_team_site_id_lms_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_team'))
    )
    with op.batch_alter_table('lms_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_team_site_id'), ['site_id'], unique=False)

    op.create_table('lms_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('hired_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('agent', 'coach', 'manager', 'admin')", name=op.f('ck_lms_user_role')),
    sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_user_site_id_lms_site')),
    sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_user_team_id_lms_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_user')),
    sa.UniqueConstraint('external_id', name=op.f('uq_lms_user_external_id')),
    sa.UniqueConstraint('username', name=op.f('uq_lms_user_username'))
    )
    with op.batch_alter_table('lms_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_user_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_user_team_id'), ['team_id'], unique=False)

    op.create_table('lms_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('content_version', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('at_day', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_evidence_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_evidence')),
    sa.UniqueConstraint('source', 'source_id', 'item_id', name=op.f('uq_lms_evidence_source_source_id_item_id'))
    )
    with op.batch_alter_table('lms_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_evidence_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_lms_evidence_cells', ['user_id', 'topic', 'dimension', 'at_day', 'value', 'source'], unique=False)

    op.create_table('lms_lesson_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=120), nullable=False),
    sa.Column('lesson_version', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_lesson_read_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_lesson_read')),
    sa.UniqueConstraint('user_id', 'lesson_id', name=op.f('uq_lms_lesson_read_user_id_lesson_id'))
    )
    with op.batch_alter_table('lms_lesson_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_lesson_read_user_id'), ['user_id'], unique=False)

    op.create_table('lms_quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=120), nullable=False),
    sa.Column('quiz_version', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('deadline_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('submission_digest', sa.String(length=64), nullable=True),
    sa.Column('points', sa.Float(), nullable=True),
    sa.Column('max_points', sa.Float(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_quiz_attempt_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_quiz_attempt'))
    )
    with op.batch_alter_table('lms_quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_quiz_attempt_quiz_id'), ['quiz_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_quiz_attempt_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_lms_quiz_attempt_open', ['user_id', 'quiz_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('lms_team_coach',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_team_coach_team_id_lms_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_team_coach_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_lms_team_coach'))
    )
    op.create_table('lms_attempt_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=120), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('points', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['lms_quiz_attempt.id'], name=op.f('fk_lms_attempt_answer_attempt_id_lms_quiz_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_attempt_answer')),
    sa.UniqueConstraint('attempt_id', 'item_id', name=op.f('uq_lms_attempt_answer_attempt_id_item_id'))
    )
    with op.batch_alter_table('lms_attempt_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_attempt_answer_attempt_id'), ['attempt_id'], unique=False)

    op.create_table('lms_module_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=120), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['lms_quiz_attempt.id'], name=op.f('fk_lms_module_completion_attempt_id_lms_quiz_attempt')),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_module_completion_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_module_completion')),
    sa.UniqueConstraint('user_id', 'module_id', name=op.f('uq_lms_module_completion_user_id_module_id'))
    )
    with op.batch_alter_table('lms_module_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_module_completion_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lms_module_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_module_completion_user_id'))

    op.drop_table('lms_module_completion')
    with op.batch_alter_table('lms_attempt_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_attempt_answer_attempt_id'))

    op.drop_table('lms_attempt_answer')
    op.drop_table('lms_team_coach')
    with op.batch_alter_table('lms_quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_lms_quiz_attempt_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_lms_quiz_attempt_user_id'))
        batch_op.drop_index(batch_op.f('ix_lms_quiz_attempt_quiz_id'))

    op.drop_table('lms_quiz_attempt')
    with op.batch_alter_table('lms_lesson_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_lesson_read_user_id'))

    op.drop_table('lms_lesson_read')
    with op.batch_alter_table('lms_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_evidence_cells')
        batch_op.drop_index(batch_op.f('ix_lms_evidence_created_at'))

    op.drop_table('lms_evidence')
    with op.batch_alter_table('lms_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_user_team_id'))
        batch_op.drop_index(batch_op.f('ix_lms_user_site_id'))

    op.drop_table('lms_user')
    with op.batch_alter_table('lms_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_team_site_id'))

    op.drop_table('lms_team')
    op.drop_table('lms_site')
    with op.batch_alter_table('lms_login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_login_failure_key'))
        batch_op.drop_index(batch_op.f('ix_lms_login_failure_failed_at'))

    op.drop_table('lms_login_failure')
