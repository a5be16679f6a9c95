"""Tickmark QA: vector store, planning, computation, verification, answers."""
