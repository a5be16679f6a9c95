"""One exception hierarchy. Messages say what failed, with ids, and what to do next."""


class TickmarkError(Exception):
    """Root of every error Tickmark raises on purpose."""


class BadInputError(TickmarkError):
    """The input cannot be read: empty, binary, undecodable, too large, not found."""


class ExtractionError(TickmarkError):
    """A table was found but could not be parsed into rows and columns."""


class LLMError(TickmarkError):
    """The LLM fallback failed (no endpoint, transport error, or re-asks exhausted)."""

    def __init__(self, message: str, *, last_answer=None, attempts: int = 0, usage=None):
        super().__init__(message)
        self.last_answer = last_answer
        self.attempts = attempts
        self.usage = usage or {}


class NotFoundError(TickmarkError):
    """A document, table or fact asked for is not in the index."""
