"""Culture pulse: who answered (receipts) and the counts of what was answered, per group

Revision ID: cult0001aaaa
Revises: slf0001aaaa
Create Date: 2026-12-04 13:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'cult0001aaaa'
down_revision = 'slf0001aaaa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lms_culture_receipt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_culture_receipt_site_id_lms_site'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_culture_receipt_team_id_lms_team'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_culture_receipt_user_id_lms_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_culture_receipt')),
        sa.UniqueConstraint('user_id', 'period_start', name=op.f('uq_lms_culture_receipt_user_id_period_start')),
    )
    op.create_index('ix_lms_culture_receipt_site_id_period_start', 'lms_culture_receipt', ['site_id', 'period_start'],
                    unique=False)
    op.create_table(
        'lms_culture_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('item_id', sa.String(length=120), nullable=False),
        sa.Column('lens', sa.String(length=16), nullable=False),
        sa.Column('reversed', sa.Boolean(), nullable=False),
        sa.Column('answer', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_culture_tally_site_id_lms_site'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['team_id'], ['lms_team.id'], name=op.f('fk_lms_culture_tally_team_id_lms_team'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_culture_tally')),
        sa.UniqueConstraint('site_id', 'team_id', 'period_start', 'item_id', 'answer',
                            name='uq_lms_culture_tally_cell',
                            postgresql_nulls_not_distinct=True),
    )


def downgrade():
    op.drop_table('lms_culture_tally')
    op.drop_index('ix_lms_culture_receipt_site_id_period_start', table_name='lms_culture_receipt')
    op.drop_table('lms_culture_receipt')
