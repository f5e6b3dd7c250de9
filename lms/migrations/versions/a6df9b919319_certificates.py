"""certificates

Revision ID: a6df9b919319
Revises: f4c5673c456e
Create Date: 2026-11-23 19:27:26.632219
"""
import sqlalchemy as sa
from alembic import op

revision = 'a6df9b919319'
down_revision = 'f4c5673c456e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=120), nullable=False),
    sa.Column('recipient_name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by'], ['lms_user.id'], name=op.f('fk_lms_certificate_issued_by_lms_user')),
    sa.ForeignKeyConstraint(['revoked_by'], ['lms_user.id'], name=op.f('fk_lms_certificate_revoked_by_lms_user')),
    sa.ForeignKeyConstraint(['user_id'], ['lms_user.id'], name=op.f('fk_lms_certificate_user_id_lms_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_lms_certificate_code'))
    )
    with op.batch_alter_table('lms_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_certificate_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_certificate_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_lms_certificate_active', ['user_id', 'kind', 'subject_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))



def downgrade():
    with op.batch_alter_table('lms_certificate', schema=None) as batch_op:
        batch_op.drop_index('uq_lms_certificate_active', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_lms_certificate_user_id'))
        batch_op.drop_index(batch_op.f('ix_lms_certificate_issued_at'))

    op.drop_table('lms_certificate')
