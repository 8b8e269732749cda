"""Time-ordered UUIDv7 primary keys, so records can be created offline and merged."""

import uuid

import uuid_utils


def uuid7() -> uuid.UUID:
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)
