"""kpi indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Indexes for the KPI queries of db/kpis.py (written by hand; see
docs/PERFORMANCE.md for the plans they give):

- ix_agreement_kpi_cover: every column a KPI statement reads from `agreement`,
  led by signed_year, so a period filter is a range scan of this index alone
  (SQLite "USING COVERING INDEX", PostgreSQL index-only scan once the
  visibility map is set) instead of a table lookup per row.
- ix_agreement_partner_signed_year: "has this partner an agreement before the
  period?" (partners.new) is one index probe per active partner.
- ix_agreement_parent_id is replaced by a partial index on the amendments only
  (parent_id IS NOT NULL, ~15 % of rows). The full one served `parent_id IS
  NULL` too, and SQLite without statistics chose it for the new-agreement
  counts: a table lookup for 85 % of the rows. `parent_id = ?`, `IN (...)` and
  the foreign-key checks still use the partial one on SQLite and PostgreSQL.

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KPI_COVER_COLUMNS = [
    'signed_year',
    'parent_id',
    'regions_from_id',
    'areas_from_id',
    'partner_id',
    'agreement_type',
    'value_cents',
    'id',
]


def upgrade() -> None:
    """Upgrade schema."""
    # Plain CREATE INDEX on both stores: no table rebuild, so no batch mode.
    op.create_index('ix_agreement_kpi_cover', 'agreement', KPI_COVER_COLUMNS, unique=False)
    op.create_index('ix_agreement_partner_signed_year', 'agreement', ['partner_id', 'signed_year'], unique=False)
    amendments = sa.text('parent_id IS NOT NULL')
    op.create_index(
        'ix_agreement_parent_id_partial',
        'agreement',
        ['parent_id'],
        unique=False,
        sqlite_where=amendments,
        postgresql_where=amendments,
    )
    op.drop_index('ix_agreement_parent_id', table_name='agreement')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index('ix_agreement_parent_id', 'agreement', ['parent_id'], unique=False)
    op.drop_index('ix_agreement_parent_id_partial', table_name='agreement')
    op.drop_index('ix_agreement_partner_signed_year', table_name='agreement')
    op.drop_index('ix_agreement_kpi_cover', table_name='agreement')
