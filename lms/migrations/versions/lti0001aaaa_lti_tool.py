"""LTI 1.3 tool: platforms, linked accounts and courses, score routes, launch state

Revision ID: lti0001aaaa
Revises: xapi0001aaaa
Create Date: 2026-12-03 19:51:24.164064
"""
from alembic import op
import sqlalchemy as sa


revision = 'lti0001aaaa'
down_revision = 'xapi0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_lti_state',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_lms_lti_state'))
    )
    with op.batch_alter_table('lms_lti_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_lti_state_expires_at'), ['expires_at'], unique=False)

    op.create_table('lms_lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('auth_login_url', sa.String(length=500), nullable=False),
    sa.Column('auth_token_url', sa.String(length=500), nullable=False),
    sa.Column('key_set_url', sa.String(length=500), nullable=False),
    sa.Column('audience', sa.String(length=500), nullable=True),
    sa.Column('deployment_ids', sa.JSON(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_lti_platform_site_id_lms_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_lti_platform')),
    sa.UniqueConstraint('issuer', 'client_id', name='uq_lms_lti_platform_issuer_client')
    )
    op.create_table('lms_lti_context',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('memberships_url', sa.String(length=500), nullable=True),
    sa.Column('deployment_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lms_lti_platform.id'], name=op.f('fk_lms_lti_context_platform_id_lms_lti_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_lti_context_team_id_lms_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_lti_context')),
    sa.UniqueConstraint('platform_id', 'context_id', name='uq_lms_lti_context')
    )
    with op.batch_alter_table('lms_lti_context', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_lti_context_team_id'), ['team_id'], unique=False)

    op.create_table('lms_lti_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lms_lti_platform.id'], name=op.f('fk_lms_lti_account_platform_id_lms_lti_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_lti_account_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_lti_account')),
    sa.UniqueConstraint('issuer', 'sub', name='uq_lms_lti_account_sub')
    )
    with op.batch_alter_table('lms_lti_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_lti_account_user_id'), ['user_id'], unique=False)

    op.create_table('lms_lti_score_route',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=160), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('lineitem_url', sa.String(length=500), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lms_lti_platform.id'], name=op.f('fk_lms_lti_score_route_platform_id_lms_lti_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_lti_score_route_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_lti_score_route')),
    sa.UniqueConstraint('user_id', 'activity', 'lineitem_url', name='uq_lms_lti_score_route')
    )
    with op.batch_alter_table('lms_lti_score_route', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_lti_score_route_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lms_lti_score_route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_lti_score_route_user_id'))

    op.drop_table('lms_lti_score_route')
    with op.batch_alter_table('lms_lti_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_lti_account_user_id'))

    op.drop_table('lms_lti_account')
    with op.batch_alter_table('lms_lti_context', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_lti_context_team_id'))

    op.drop_table('lms_lti_context')
    op.drop_table('lms_lti_platform')
    with op.batch_alter_table('lms_lti_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_lti_state_expires_at'))

    op.drop_table('lms_lti_state')
