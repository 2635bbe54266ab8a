"""service records: accounts, clients, consent, care, coupons, reports, Law 25

The tables of the service side (core/models/records/). The audit log is append-only: on both
SQLite and PostgreSQL a trigger refuses any UPDATE or DELETE of an auditevent row, so not even
a purge or a bug in the application can rewrite who saw what.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 01:47:45.522450
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('couponkind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('name_fr', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_couponkind')),
    sa.UniqueConstraint('code', name=op.f('uq_couponkind_code'))
    )
    op.create_table('loginattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loginattempt'))
    )
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginattempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginattempt_email'), ['email'], unique=False)

    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('privacy_contact', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisation_slug'))
    )
    op.create_table('publicationdownload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('downloaded_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicationdownload'))
    )
    with op.batch_alter_table('publicationdownload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicationdownload_publication'), ['publication'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('apitoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_apitoken_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apitoken')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_apitoken_token_hash'))
    )
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apitoken_user_id'), ['user_id'], unique=False)

    op.create_table('auditevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_auditevent_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_auditevent_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auditevent'))
    )
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditevent_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_user_id'), ['user_id'], unique=False)

    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('file_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('territory_id', sa.Integer(), nullable=True),
    sa.Column('household_members', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('monthly_income', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('monthly_rent', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('referral_source', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['client.id'], name=op.f('fk_client_merged_into_id_client')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_client_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['territory_id'], ['region.id'], name=op.f('fk_client_territory_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client')),
    sa.UniqueConstraint('organisation_id', 'file_number', name=op.f('uq_client_organisation_id_file_number'))
    )
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('confidentialityincident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('information_concerned', sa.Text(), nullable=False),
    sa.Column('circumstances', sa.Text(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('discovered_on', sa.Date(), nullable=False),
    sa.Column('people_affected', sa.Integer(), nullable=True),
    sa.Column('serious_harm_risk', sa.Boolean(), nullable=False),
    sa.Column('risk_assessment', sa.Text(), nullable=True),
    sa.Column('commission_notified_on', sa.Date(), nullable=True),
    sa.Column('people_notified_on', sa.Date(), nullable=True),
    sa.Column('measures_taken', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_confidentialityincident_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_confidentialityincident_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidentialityincident'))
    )
    with op.batch_alter_table('confidentialityincident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confidentialityincident_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('couponkinditem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coupon_kind_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['coupon_kind_id'], ['couponkind.id'], name=op.f('fk_couponkinditem_coupon_kind_id_couponkind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_couponkinditem'))
    )
    with op.batch_alter_table('couponkinditem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_couponkinditem_coupon_kind_id'), ['coupon_kind_id'], unique=False)

    op.create_table('organisationactivity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('participant_profile', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('readers', sa.Integer(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisationactivity_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisationactivity'))
    )
    with op.batch_alter_table('organisationactivity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisationactivity_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('postalterritory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fsa', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_postalterritory_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postalterritory')),
    sa.UniqueConstraint('fsa', name=op.f('uq_postalterritory_fsa'))
    )
    op.create_table('program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('name_fr', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('retention_action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_program_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program')),
    sa.UniqueConstraint('organisation_id', 'code', name=op.f('uq_program_organisation_id_code'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('accessrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('requester', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_accessrequest_client_id_client')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_accessrequest_handled_by_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_accessrequest_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessrequest'))
    )
    with op.batch_alter_table('accessrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accessrequest_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('clientcontact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_clientcontact_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clientcontact'))
    )
    with op.batch_alter_table('clientcontact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clientcontact_client_id'), ['client_id'], unique=False)

    op.create_table('clientpause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_clientpause_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clientpause'))
    )
    with op.batch_alter_table('clientpause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clientpause_client_id'), ['client_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resource', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('given_by', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('given_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text_version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_consent_client_id_client')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_consent_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_client_id'), ['client_id'], unique=False)

    op.create_table('couponallocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('coupon_kind_id', sa.Integer(), nullable=False),
    sa.Column('per_week', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_couponallocation_client_id_client')),
    sa.ForeignKeyConstraint(['coupon_kind_id'], ['couponkind.id'], name=op.f('fk_couponallocation_coupon_kind_id_couponkind')),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_couponallocation_set_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_couponallocation'))
    )
    with op.batch_alter_table('couponallocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_couponallocation_client_id'), ['client_id'], unique=False)

    op.create_table('distribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('distributed_on', sa.Date(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('basket_version_id', sa.Integer(), nullable=True),
    sa.Column('total_value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('price_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['basket_version_id'], ['basketversion.id'], name=op.f('fk_distribution_basket_version_id_basketversion')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_distribution_client_id_client')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_distribution_program_id_program')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_distribution_region_id_region')),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_distribution_staff_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distribution'))
    )
    with op.batch_alter_table('distribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distribution_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distribution_distributed_on'), ['distributed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_distribution_program_id'), ['program_id'], unique=False)

    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_enrolment_client_id_client')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_enrolment_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_program_id'), ['program_id'], unique=False)

    op.create_table('groupsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_groupsession_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groupsession'))
    )
    with op.batch_alter_table('groupsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groupsession_program_id'), ['program_id'], unique=False)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_membership_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_membership_program_id_program')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_membership_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('user_id', 'organisation_id', 'role', 'program_id', name=op.f('uq_membership_user_id_organisation_id_role_program_id'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)

    op.create_table('nutritionassessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('dietitian_id', sa.Integer(), nullable=True),
    sa.Column('pre_pregnancy_weight_kg', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('height_cm', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('risk_factors', sa.Text(), nullable=True),
    sa.Column('calories_kcal', sa.Integer(), nullable=True),
    sa.Column('protein_g', sa.Integer(), nullable=True),
    sa.Column('supplements', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_nutritionassessment_client_id_client')),
    sa.ForeignKeyConstraint(['dietitian_id'], ['user.id'], name=op.f('fk_nutritionassessment_dietitian_id_user')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_nutritionassessment_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nutritionassessment'))
    )
    with op.batch_alter_table('nutritionassessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nutritionassessment_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nutritionassessment_program_id'), ['program_id'], unique=False)

    op.create_table('pregnancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_pregnancy_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pregnancy'))
    )
    with op.batch_alter_table('pregnancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pregnancy_client_id'), ['client_id'], unique=False)

    op.create_table('satisfactionsurvey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_satisfactionsurvey_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfactionsurvey'))
    )
    with op.batch_alter_table('satisfactionsurvey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfactionsurvey_program_id'), ['program_id'], unique=False)

    op.create_table('weightcheck',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('weight_kg', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_weightcheck_client_id_client')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_weightcheck_program_id_program')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_weightcheck_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weightcheck'))
    )
    with op.batch_alter_table('weightcheck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weightcheck_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_weightcheck_program_id'), ['program_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_session_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_attendance_client_id_client')),
    sa.ForeignKeyConstraint(['group_session_id'], ['groupsession.id'], name=op.f('fk_attendance_group_session_id_groupsession')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('group_session_id', 'client_id', name=op.f('uq_attendance_group_session_id_client_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_group_session_id'), ['group_session_id'], unique=False)

    op.create_table('distributionline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('distribution_id', sa.Integer(), nullable=False),
    sa.Column('coupon_kind_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('serials', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('unit_value', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('price_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['coupon_kind_id'], ['couponkind.id'], name=op.f('fk_distributionline_coupon_kind_id_couponkind')),
    sa.ForeignKeyConstraint(['distribution_id'], ['distribution.id'], name=op.f('fk_distributionline_distribution_id_distribution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distributionline'))
    )
    with op.batch_alter_table('distributionline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distributionline_distribution_id'), ['distribution_id'], unique=False)

    op.create_table('infant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('pregnancy_id', sa.Integer(), nullable=True),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('birth_weight_g', sa.Integer(), nullable=True),
    sa.Column('gestational_age_weeks', sa.Integer(), nullable=True),
    sa.Column('feeding', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_infant_client_id_client')),
    sa.ForeignKeyConstraint(['pregnancy_id'], ['pregnancy.id'], name=op.f('fk_infant_pregnancy_id_pregnancy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_infant'))
    )
    with op.batch_alter_table('infant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_infant_client_id'), ['client_id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('resource', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('shared_information', sa.Boolean(), nullable=False),
    sa.Column('consent_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_referral_client_id_client')),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], name=op.f('fk_referral_consent_id_consent')),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_referral_staff_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_client_id'), ['client_id'], unique=False)

    op.create_table('satisfactionquestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text_fr', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('text_en', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['satisfactionsurvey.id'], name=op.f('fk_satisfactionquestion_survey_id_satisfactionsurvey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfactionquestion'))
    )
    with op.batch_alter_table('satisfactionquestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfactionquestion_survey_id'), ['survey_id'], unique=False)

    op.create_table('satisfactionresponse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['satisfactionsurvey.id'], name=op.f('fk_satisfactionresponse_survey_id_satisfactionsurvey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfactionresponse'))
    )
    with op.batch_alter_table('satisfactionresponse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfactionresponse_survey_id'), ['survey_id'], unique=False)

    op.create_table('serviceevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('notes_restricted', sa.Boolean(), nullable=False),
    sa.Column('group_session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_serviceevent_client_id_client')),
    sa.ForeignKeyConstraint(['group_session_id'], ['groupsession.id'], name=op.f('fk_serviceevent_group_session_id_groupsession')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_serviceevent_program_id_program')),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_serviceevent_staff_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_serviceevent'))
    )
    with op.batch_alter_table('serviceevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_serviceevent_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_serviceevent_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_serviceevent_program_id'), ['program_id'], unique=False)

    op.create_table('satisfactionanswer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['satisfactionquestion.id'], name=op.f('fk_satisfactionanswer_question_id_satisfactionquestion')),
    sa.ForeignKeyConstraint(['response_id'], ['satisfactionresponse.id'], name=op.f('fk_satisfactionanswer_response_id_satisfactionresponse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfactionanswer'))
    )
    with op.batch_alter_table('satisfactionanswer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfactionanswer_response_id'), ['response_id'], unique=False)


    _make_audit_append_only()

def downgrade() -> None:
    _drop_audit_triggers()
    with op.batch_alter_table('satisfactionanswer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfactionanswer_response_id'))

    op.drop_table('satisfactionanswer')
    with op.batch_alter_table('serviceevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_serviceevent_program_id'))
        batch_op.drop_index(batch_op.f('ix_serviceevent_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_serviceevent_client_id'))

    op.drop_table('serviceevent')
    with op.batch_alter_table('satisfactionresponse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfactionresponse_survey_id'))

    op.drop_table('satisfactionresponse')
    with op.batch_alter_table('satisfactionquestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfactionquestion_survey_id'))

    op.drop_table('satisfactionquestion')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_client_id'))

    op.drop_table('referral')
    with op.batch_alter_table('infant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_infant_client_id'))

    op.drop_table('infant')
    with op.batch_alter_table('distributionline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distributionline_distribution_id'))

    op.drop_table('distributionline')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_group_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_client_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('weightcheck', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weightcheck_program_id'))
        batch_op.drop_index(batch_op.f('ix_weightcheck_client_id'))

    op.drop_table('weightcheck')
    with op.batch_alter_table('satisfactionsurvey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfactionsurvey_program_id'))

    op.drop_table('satisfactionsurvey')
    with op.batch_alter_table('pregnancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pregnancy_client_id'))

    op.drop_table('pregnancy')
    with op.batch_alter_table('nutritionassessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nutritionassessment_program_id'))
        batch_op.drop_index(batch_op.f('ix_nutritionassessment_client_id'))

    op.drop_table('nutritionassessment')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_membership_organisation_id'))

    op.drop_table('membership')
    with op.batch_alter_table('groupsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groupsession_program_id'))

    op.drop_table('groupsession')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_program_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_client_id'))

    op.drop_table('enrolment')
    with op.batch_alter_table('distribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distribution_program_id'))
        batch_op.drop_index(batch_op.f('ix_distribution_distributed_on'))
        batch_op.drop_index(batch_op.f('ix_distribution_client_id'))

    op.drop_table('distribution')
    with op.batch_alter_table('couponallocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_couponallocation_client_id'))

    op.drop_table('couponallocation')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_client_id'))

    op.drop_table('consent')
    with op.batch_alter_table('clientpause', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clientpause_client_id'))

    op.drop_table('clientpause')
    with op.batch_alter_table('clientcontact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clientcontact_client_id'))

    op.drop_table('clientcontact')
    with op.batch_alter_table('accessrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accessrequest_organisation_id'))

    op.drop_table('accessrequest')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_organisation_id'))

    op.drop_table('program')
    op.drop_table('postalterritory')
    with op.batch_alter_table('organisationactivity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisationactivity_organisation_id'))

    op.drop_table('organisationactivity')
    with op.batch_alter_table('couponkinditem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_couponkinditem_coupon_kind_id'))

    op.drop_table('couponkinditem')
    with op.batch_alter_table('confidentialityincident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confidentialityincident_organisation_id'))

    op.drop_table('confidentialityincident')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_organisation_id'))

    op.drop_table('client')
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditevent_user_id'))
        batch_op.drop_index(batch_op.f('ix_auditevent_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_auditevent_client_id'))
        batch_op.drop_index(batch_op.f('ix_auditevent_at'))

    op.drop_table('auditevent')
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apitoken_user_id'))

    op.drop_table('apitoken')
    op.drop_table('user')
    with op.batch_alter_table('publicationdownload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicationdownload_publication'))

    op.drop_table('publicationdownload')
    op.drop_table('organisation')
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginattempt_email'))
        batch_op.drop_index(batch_op.f('ix_loginattempt_at'))

    op.drop_table('loginattempt')
    op.drop_table('couponkind')


_REFUSAL = "auditevent is append-only"


def _make_audit_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
        )
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER auditevent_no_{event.lower()} BEFORE {event} ON auditevent "
                "FOR EACH ROW EXECUTE FUNCTION auditevent_append_only()"
            )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER auditevent_no_{event.lower()} BEFORE {event} ON auditevent "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
        )


def _drop_audit_triggers() -> None:
    for event in ("update", "delete"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS auditevent_no_{event} ON auditevent")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS auditevent_no_{event}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS auditevent_append_only()")
