"""Errors that reach the user as one line and an exit code.

Every module raises a subclass of :class:`NbbFilingError` for bad input; the CLI prints
``str(error)`` on one line and exits with ``error.exit_code``.  Exit code 1 means "the input was
read and has findings", 2 means "could not run" (missing file, unreadable package, unknown model).
"""

from __future__ import annotations


class NbbFilingError(Exception):
    """Base class: a clear one-line message for the user, and the process exit code."""

    exit_code: int = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(" ".join(message.split()))
        if exit_code is not None:
            self.exit_code = exit_code


class PackageError(NbbFilingError):
    """A taxonomy package is missing, corrupt, unsafe or not a taxonomy package."""


class ModelNotFound(NbbFilingError):
    """The requested model (entry point such as ``m82-f``) is not in the package."""


class RubricNotFound(NbbFilingError):
    """A rubric code is not part of the model."""


class InputError(NbbFilingError):
    """A user file (trial balance, mapping, dossier, instance) is malformed."""


class FindingsError(NbbFilingError):
    """The input was processed but has findings that block the result (exit code 1)."""

    exit_code = 1
