"""Reusable UI pieces, cached query helpers and pure chart builders (pages -> components -> db)."""
