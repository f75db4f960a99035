"""Figures (tellen): the indicator catalogue, source readers, validation and the tidy table."""

from wijkbeeld.figures.catalogue import (
    THEME_KEYS,
    AllZeroPeriod,
    Catalogue,
    CatalogueError,
    Indicator,
    Polarity,
    Theme,
    Unit,
    load_catalogue,
)
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import COLUMNS, FigureTable, Status

__all__ = [
    "COLUMNS",
    "THEME_KEYS",
    "AllZeroPeriod",
    "Catalogue",
    "CatalogueError",
    "DataError",
    "FigureTable",
    "Indicator",
    "Polarity",
    "Problem",
    "Status",
    "Theme",
    "Unit",
    "load_catalogue",
]
