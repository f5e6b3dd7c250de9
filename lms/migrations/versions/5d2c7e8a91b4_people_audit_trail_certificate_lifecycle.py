"""Running a site without a developer: employee ids and unique e-mail addresses (the keys of an
HR import), e-mail preference, temporary passwords and deactivation; the audit trail; uploaded
imports between preview and import; certificates that expire, are renewed and can be restored.

E-mail addresses are stored lower-case from now on; where two people shared one, the
earliest-created keeps it and the others' are cleared (they can set theirs again).

Revision ID: 5d2c7e8a91b4
Revises: 110f9e1ea3ae
Create Date: 2026-12-03 13:18:15
"""
from alembic import op
import sqlalchemy as sa


revision = '5d2c7e8a91b4'
down_revision = '110f9e1ea3ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=120), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_audit_event'))
    )
    with op.batch_alter_table('lms_audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_audit_event_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_lms_audit_event_person', ['person_id', 'at'], unique=False)
        batch_op.create_index('ix_lms_audit_event_site', ['site_id', 'at'], unique=False)

    op.create_table('lms_import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('full_roster', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['lms_site.id'], name=op.f('fk_lms_import_batch_site_id_lms_site')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['lms_user.id'], name=op.f('fk_lms_import_batch_uploaded_by_id_lms_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_import_batch')),
    sa.UniqueConstraint('token', name=op.f('uq_lms_import_batch_token'))
    )
    with op.batch_alter_table('lms_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restored_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('restored_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('restore_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('renewed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lms_certificate_expires_at'), ['expires_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lms_certificate_restored_by_lms_user'), 'lms_user', ['restored_by'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_lms_certificate_renewed_by_id_lms_certificate'), 'lms_certificate', ['renewed_by_id'], ['id'])
        batch_op.drop_index('uq_lms_certificate_active')
        batch_op.create_index('uq_lms_certificate_active', ['user_id', 'kind', 'subject_id'], unique=True,
                              sqlite_where=sa.text(CURRENT), postgresql_where=sa.text(CURRENT))

    _normalise_emails()
    # Plain ALTER TABLE, not a batch copy: on SQLite, copying lms_user would break the
    # evidence trigger that reads it.
    op.add_column('lms_user', sa.Column('employee_id', sa.String(length=64), nullable=True))
    op.add_column('lms_user', sa.Column('wants_email', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column('lms_user', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.add_column('lms_user', sa.Column('deactivated_at', sa.DateTime(), nullable=True))
    op.create_index('ix_lms_user_email', 'lms_user', ['email'], unique=True)
    op.create_index('ix_lms_user_employee_id', 'lms_user', ['employee_id'], unique=True)


CURRENT = "revoked_at IS NULL AND renewed_by_id IS NULL"


def _normalise_emails():
    users = sa.table('lms_user', sa.column('id', sa.Integer), sa.column('email', sa.String),
                     sa.column('created_at', sa.DateTime))
    bind = op.get_bind()
    seen = set()
    rows = bind.execute(sa.select(users.c.id, users.c.email).order_by(users.c.created_at, users.c.id)).all()
    for user_id, email in rows:
        clean = (email or "").strip().lower() or None
        if clean in seen:
            clean = None
        if clean is not None:
            seen.add(clean)
        if clean != email:
            bind.execute(users.update().where(users.c.id == user_id).values(email=clean))


def downgrade():
    op.drop_index('ix_lms_user_employee_id', 'lms_user')
    op.drop_index('ix_lms_user_email', 'lms_user')
    for column in ('deactivated_at', 'must_change_password', 'wants_email', 'employee_id'):
        op.drop_column('lms_user', column)

    with op.batch_alter_table('lms_certificate', schema=None) as batch_op:
        batch_op.drop_index('uq_lms_certificate_active')
        batch_op.create_index('uq_lms_certificate_active', ['user_id', 'kind', 'subject_id'], unique=True,
                              sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_constraint(batch_op.f('fk_lms_certificate_renewed_by_id_lms_certificate'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_lms_certificate_restored_by_lms_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lms_certificate_expires_at'))
        batch_op.drop_column('renewed_by_id')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('restore_reason')
        batch_op.drop_column('restored_by')
        batch_op.drop_column('restored_at')

    op.drop_table('lms_import_batch')
    with op.batch_alter_table('lms_audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_audit_event_site')
        batch_op.drop_index('ix_lms_audit_event_person')
        batch_op.drop_index(batch_op.f('ix_lms_audit_event_kind'))
        batch_op.drop_index(batch_op.f('ix_lms_audit_event_at'))

    op.drop_table('lms_audit_event')
