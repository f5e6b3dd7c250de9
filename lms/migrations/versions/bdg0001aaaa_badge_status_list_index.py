"""badge status list index

Revision ID: bdg0001aaaa
Revises: a14b0utb0x01
Create Date: 2026-12-03 19:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'bdg0001aaaa'
down_revision = 'a14b0utb0x01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lms_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_lms_certificate_status_index'), ['status_index'])


def downgrade():
    with op.batch_alter_table('lms_certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_lms_certificate_status_index'), type_='unique')
        batch_op.drop_column('status_index')
