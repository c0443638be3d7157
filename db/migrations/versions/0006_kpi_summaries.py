"""kpi summaries

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

The KPI summary tables of db/models_summary.py, filled from the base tables.
db/kpi_summary.py keeps them exact in the same transaction as every later
write; docs/PERFORMANCE.md gives the plans and timings that justify them.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _key(name: str, type_: sa.types.TypeEngine) -> sa.Column:
    return sa.Column(name, type_, nullable=False, primary_key=True)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'kpi_agreement_cell',
        _key('region_key', sa.String(32)),
        _key('signed_year', sa.Integer()),
        _key('is_new', sa.Integer()),
        _key('agreement_type', sa.String(32)),
        sa.Column('agreements', sa.Integer(), nullable=False),
        sa.Column('value_cents', sa.BigInteger(), nullable=False),
    )
    op.create_table(
        'kpi_link_cell',
        _key('region_key', sa.String(32)),
        _key('signed_year', sa.Integer()),
        _key('dimension', sa.String(8)),
        _key('code', sa.String(32)),
        sa.Column('agreements', sa.Integer(), nullable=False),
    )
    op.create_table(
        'kpi_partner_year',
        _key('partner_id', sa.String(64)),
        _key('region_key', sa.String(32)),
        _key('signed_year', sa.Integer()),
        sa.Column('agreements', sa.Integer(), nullable=False),
        sa.Column('value_cents', sa.BigInteger(), nullable=False),
    )
    op.create_table(
        'kpi_partner_total',
        _key('region_key', sa.String(32)),
        _key('partner_id', sa.String(64)),
        sa.Column('agreements', sa.Integer(), nullable=False),
        sa.Column('value_cents', sa.BigInteger(), nullable=False),
    )
    op.create_index(
        'ix_kpi_partner_total_rank', 'kpi_partner_total', ['region_key', 'value_cents', 'partner_id'], unique=False
    )
    op.create_index('ix_kpi_partner_total_partner', 'kpi_partner_total', ['partner_id'], unique=False)
    op.create_table(
        'kpi_partner_cell',
        _key('region_key', sa.String(32)),
        _key('signed_year', sa.Integer()),
        _key('prev_year', sa.Integer()),
        _key('first_year', sa.Integer()),
        _key('partner_type', sa.String(32)),
        sa.Column('partners', sa.Integer(), nullable=False),
    )
    # A store upgraded with data in it: fill the summaries from it. The code
    # that keeps them is the code that fills them, so both agree by construction.
    from db import kpi_summary

    kpi_summary.rebuild(op.get_bind())


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('kpi_partner_cell')
    op.drop_index('ix_kpi_partner_total_partner', table_name='kpi_partner_total')
    op.drop_index('ix_kpi_partner_total_rank', table_name='kpi_partner_total')
    op.drop_table('kpi_partner_total')
    op.drop_table('kpi_partner_year')
    op.drop_table('kpi_link_cell')
    op.drop_table('kpi_agreement_cell')
