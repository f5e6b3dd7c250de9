"""Customer praise by name, and its count on certificates

Revision ID: prs0001aaaa
Revises: jobs0001aaaa
Create Date: 2026-12-04 13:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'prs0001aaaa'
down_revision = 'jobs0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lms_praise',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('by_leader', sa.Boolean(), nullable=False),
        sa.Column('said', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('case_ref', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
        sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_praise_user_id_lms_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['lms_user.id'],
                                name=op.f('fk_lms_praise_recorded_by_id_lms_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['acknowledged_by_id'], ['lms_user.id'],
                                name=op.f('fk_lms_praise_acknowledged_by_id_lms_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_praise')),
    )
    op.create_index('ix_lms_praise_agent_day', 'lms_praise', ['user_id', 'received_on'], unique=False)
    op.add_column('lms_certificate', sa.Column('praise_count', sa.Integer(), nullable=True))
    op.add_column('lms_certificate', sa.Column('praise_since', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('lms_certificate') as batch:
        batch.drop_column('praise_since')
        batch.drop_column('praise_count')
    op.drop_index('ix_lms_praise_agent_day', table_name='lms_praise')
    op.drop_table('lms_praise')
