"""quiz attempts: index by learner and quiz (replaces the index by learner alone)

Revision ID: qat0001aaaa
Revises: eff00001aaaa
Create Date: 2026-12-04 15:00:00
"""
from alembic import op

revision = 'qat0001aaaa'
down_revision = 'eff00001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_lms_quiz_attempt_user_quiz', 'lms_quiz_attempt', ['user_id', 'quiz_id'], unique=False)
    op.drop_index('ix_lms_quiz_attempt_user_id', table_name='lms_quiz_attempt')


def downgrade():
    op.create_index('ix_lms_quiz_attempt_user_id', 'lms_quiz_attempt', ['user_id'], unique=False)
    op.drop_index('ix_lms_quiz_attempt_user_quiz', table_name='lms_quiz_attempt')
