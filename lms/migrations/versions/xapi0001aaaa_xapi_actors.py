"""xAPI actors: a pseudonymous name per person

Revision ID: xapi0001aaaa
Revises: bdg0001aaaa
Create Date: 2026-12-03 20:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'xapi0001aaaa'
down_revision = 'bdg0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_xapi_actor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_xapi_actor_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_lms_xapi_actor')),
    sa.UniqueConstraint('name', name=op.f('uq_lms_xapi_actor_name'))
    )


def downgrade():
    op.drop_table('lms_xapi_actor')
