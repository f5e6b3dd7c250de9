"""outbox and signing keys

Revision ID: a14b0utb0x01
Revises: b7e41c2d9a05
Create Date: 2026-12-03 19:45:33.100504
"""
import sqlalchemy as sa
from alembic import op

revision = 'a14b0utb0x01'
down_revision = 'b7e41c2d9a05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_delivery')),
    sa.UniqueConstraint('channel', 'key', name=op.f('uq_lms_delivery_channel_key'))
    )
    with op.batch_alter_table('lms_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_lms_delivery_due', ['sent_at', 'next_try_at'], unique=False)

    op.create_table('lms_signing_key',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('alg', sa.String(length=16), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_lms_signing_key'))
    )
    with op.batch_alter_table('lms_signing_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_signing_key_alg'), ['alg'], unique=False)
        batch_op.create_index('uq_lms_signing_key_current', ['alg'], unique=True,
                              sqlite_where=sa.text('retired_at IS NULL'), postgresql_where=sa.text('retired_at IS NULL'))



def downgrade():
    with op.batch_alter_table('lms_signing_key', schema=None) as batch_op:
        batch_op.drop_index('uq_lms_signing_key_current')
        batch_op.drop_index(batch_op.f('ix_lms_signing_key_alg'))
    op.drop_table('lms_signing_key')
    with op.batch_alter_table('lms_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_delivery_due')

    op.drop_table('lms_delivery')
