"""The members of one object or array whose problems are counted, not listed (past schema.MAX_LISTED)."""

from __future__ import annotations

from array import array

__all__ = ["UNLISTED", "Unlisted"]

UNLISTED = "entralint-unlisted"  # the `validator` of a jsonschema error whose instance is an Unlisted
_INDEX_TYPE = "I" if array("I").itemsize >= 4 else "L"


class Unlisted:
    """Object keys and array indexes, each in the order met; a member met twice in a row is kept once."""

    __slots__ = ("indexes", "keys")

    def __init__(self) -> None:
        self.keys: list[str] = []
        # 4 bytes an index (an array is shorter than its text): `[7,7,...]` is an index per 2 bytes of input.
        self.indexes: array[int] = array(_INDEX_TYPE)

    def add(self, member: str | int) -> None:
        if isinstance(member, int):
            if not self.indexes or self.indexes[-1] != member:
                self.indexes.append(member)
        elif not self.keys or self.keys[-1] != member:
            self.keys.append(member)

    def extend(self, other: Unlisted) -> None:
        self.keys.extend(other.keys)
        self.indexes.extend(other.indexes)

    def count(self) -> int:
        return len(self.keys) + len(self.indexes)
