"""Background jobs

Revision ID: jobs0001aaaa
Revises: lin0001aaaa
Create Date: 2026-12-04 05:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'jobs0001aaaa'
down_revision = 'authx0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lms_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=64), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=True),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('result_file', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('next_try_at', sa.DateTime(), nullable=False),
        sa.Column('lease_until', sa.DateTime(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_job')),
        sa.UniqueConstraint('key', name=op.f('uq_lms_job_key')),
    )
    op.create_index('ix_lms_job_state', 'lms_job', ['state', 'next_try_at'], unique=False)


def downgrade():
    op.drop_index('ix_lms_job_state', table_name='lms_job')
    op.drop_table('lms_job')
