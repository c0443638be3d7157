"""explorer indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

Indexes for the agreement explorer (db/explorer.py; the plans they give are in
docs/PERFORMANCE.md, tests/test_explorer_plans.py keeps them):

- ix_agreement_signed_date_id (signed_date DESC, id): the default sort, newest
  first. Page 1 walks the index and stops after 50 rows instead of sorting
  every match. On PostgreSQL the id tie-break is ordered COLLATE "C", which this
  index does not give: the planner sorts each run of equal dates (Incremental
  Sort), still stopping after 50 rows.
- ix_agreement_explorer_cover (signed_year, agreement_type, status, end_date,
  parent_id, regions_from_id, areas_from_id, partner_id): every column the
  one-value facets (type, derived status, new/amendment), the per-year chart
  and the region/area/partner clauses read, led by the period. A period is a
  range of this index alone, and grouping by (year, type, status) follows its
  order, so SQLite needs no temporary B-tree to group.
- Text search (db/explorer_text.py): SQLite FTS5 tables with the trigram
  tokenizer over agreement id/title/notes and partner names, external content,
  kept in sync by triggers; PostgreSQL pg_trgm GIN indexes on the same columns.

"""
from typing import Sequence, Union

from alembic import op

from db.explorer_text import (
    create_postgresql_search,
    create_sqlite_search,
    drop_postgresql_search,
    drop_sqlite_search,
)

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EXPLORER_COVER_COLUMNS = [
    'signed_year',
    'agreement_type',
    'status',
    'end_date',
    'parent_id',
    'regions_from_id',
    'areas_from_id',
    'partner_id',
]


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    op.execute('CREATE INDEX ix_agreement_signed_date_id ON agreement (signed_date DESC, id)')
    op.create_index('ix_agreement_explorer_cover', 'agreement', EXPLORER_COVER_COLUMNS, unique=False)
    if bind.dialect.name == 'postgresql':
        create_postgresql_search(bind)
    else:
        create_sqlite_search(bind)


def downgrade() -> None:
    """Downgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        drop_postgresql_search(bind)
    else:
        drop_sqlite_search(bind)
    op.drop_index('ix_agreement_explorer_cover', table_name='agreement')
    op.drop_index('ix_agreement_signed_date_id', table_name='agreement')
