"""LTI score routes through the line items container

Revision ID: lin0001aaaa
Revises: lti0001aaaa
Create Date: 2026-12-03 20:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'lin0001aaaa'
down_revision = 'lti0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lms_lti_score_route', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lineitems_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('resource_link_id', sa.String(length=255), nullable=True))
        batch_op.alter_column('lineitem_url', existing_type=sa.String(length=500), nullable=True)


def downgrade():
    op.execute("DELETE FROM lms_lti_score_route WHERE lineitem_url IS NULL")
    with op.batch_alter_table('lms_lti_score_route', schema=None) as batch_op:
        batch_op.alter_column('lineitem_url', existing_type=sa.String(length=500), nullable=False)
        batch_op.drop_column('resource_link_id')
        batch_op.drop_column('lineitems_url')
