"""Tickmark's extractor: filing-note tables -> typed, cited, checked tables and facts."""

from .extract import extract_bytes, extract_path, extract_source, extract_text
from .models import Cell, Check, Column, Document, Fact, Layout, Period, Row, Status, Table

__all__ = [
    "extract_path", "extract_text", "extract_bytes", "extract_source",
    "Cell", "Check", "Column", "Document", "Fact", "Layout", "Period", "Row", "Status", "Table",
]
