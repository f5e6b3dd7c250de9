"""Evidence cells: running sums per agent x topic x dimension, kept by a trigger on lms_evidence.

A later migration that recreates lms_evidence (SQLite batch mode does) drops the trigger with
the old table and must install it again (lms.gaps.folding.trigger_ddl).

Revision ID: aa2986de8524
Revises: e283eefbf1ae
Create Date: 2026-12-01 14:03:35.270591
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.gaps import folding


revision = 'aa2986de8524'
down_revision = 'e283eefbf1ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_evidence_cell',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('half_life_days', sa.Float(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('last_day', sa.Float(), nullable=False),
    sa.Column('swv', sa.Float(), nullable=False),
    sa.Column('sw', sa.Float(), nullable=False),
    sa.Column('bn', sa.Integer(), nullable=False),
    sa.Column('b_last_day', sa.Float(), nullable=True),
    sa.Column('bswv', sa.Float(), nullable=False),
    sa.Column('bsw', sa.Float(), nullable=False),
    sa.Column('settled_day', sa.Float(), nullable=False),
    sa.Column('pn', sa.Integer(), nullable=False),
    sa.Column('p_last_day', sa.Float(), nullable=True),
    sa.Column('pswv', sa.Float(), nullable=False),
    sa.Column('psw', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_evidence_cell_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic', 'dimension', name=op.f('pk_lms_evidence_cell'))
    )
    op.create_index('ix_lms_evidence_recent', 'lms_evidence', ['at_day', 'user_id', 'topic', 'dimension', 'value', 'source'],
                    unique=False)
    bind = op.get_bind()
    for statement in folding.trigger_ddl(bind.dialect):
        bind.exec_driver_sql(statement)
    # The evidence already there, folded once.
    folding.rebuild(Session(bind=bind))


def downgrade():
    bind = op.get_bind()
    for statement in folding.drop_trigger_ddl(bind.dialect):
        bind.exec_driver_sql(statement)
    op.drop_index('ix_lms_evidence_recent', table_name='lms_evidence')
    op.drop_table('lms_evidence_cell')
