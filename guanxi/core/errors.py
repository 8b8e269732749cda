"""The one error type services raise; forms, the API and the importer each render it."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A business rule refused the operation: `message` for people, `code` for machines."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [str(self.message)]}


def validation_error_fields(error: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]} (non-field errors under 'non_field_errors')."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}
