"""Sign-in throttle counters per account and address; revocable session tokens

Revision ID: authx0001
Revises: lin0001aaaa
Create Date: 2026-12-04 05:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'authx0001'
down_revision = 'lin0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    # One counter row per key replaces one row per failure (a count that could be raced).
    op.create_table('lms_login_throttle',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_lms_login_throttle'))
    )
    with op.batch_alter_table('lms_login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_login_throttle_window_start'), ['window_start'], unique=False)
    with op.batch_alter_table('lms_login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_login_failure_key'))
        batch_op.drop_index(batch_op.f('ix_lms_login_failure_failed_at'))
    op.drop_table('lms_login_failure')
    # NULL until the next sign-in: cookies issued before this release are not accepted.
    # A plain ADD COLUMN: a batch copy of lms_user would trip SQLite's triggers naming it.
    op.add_column('lms_user', sa.Column('session_token', sa.String(length=43), nullable=True))


def downgrade():
    op.drop_column('lms_user', 'session_token')
    op.create_table('lms_login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_login_failure'))
    )
    with op.batch_alter_table('lms_login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_login_failure_failed_at'), ['failed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_login_failure_key'), ['key'], unique=False)
    with op.batch_alter_table('lms_login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_login_throttle_window_start'))
    op.drop_table('lms_login_throttle')
