"""One shape for everything a scenario file can name: a registry of small named units.

Concession styles, China's reaction rules and event kinds are entries of registries, as
strategies are in Axelrod's tournament library: each entry is a class with a name, a
docstring whose first line says what it does and whose body cites its source, the same
declared properties as every other entry of its registry (e.g. ``stochastic``), and its own
validated parameters (a pydantic model with defaults). A scenario names an entry and gives
its parameters; the loader validates them against the entry's model, so a misspelt
parameter is an error with file, line and field, never a silent default.

Adding an entry is one class plus its test; ``docs/extending.md`` shows how.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class Parameters(BaseModel):
    """Base of an entry's parameters: strict, immutable, unknown names are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class NoParameters(Parameters):
    """An entry that takes no parameters of its own."""


class Entry:
    """Base of every registry entry; subclasses set the class attributes below.

    ``reads`` lists the scenario fields the entry reads besides its own parameters
    (dotted paths), so a reader of ``negosim list`` sees what a rule depends on.
    """

    name: ClassVar[str]
    citation: ClassVar[str]
    Parameters: ClassVar[type[Parameters]] = NoParameters
    reads: ClassVar[tuple[str, ...]] = ()
    property_names: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def summary(cls) -> str:
        """The first line of the entry's docstring."""
        return inspect.cleandoc(cls.__doc__ or "").splitlines()[0] if cls.__doc__ else ""

    def parameters(self, given: Mapping[str, Any] | None = None) -> Parameters:
        """Validated parameters with defaults filled (raises pydantic's ValidationError)."""
        return self.Parameters.model_validate(dict(given or {}))

    def properties(self) -> dict[str, Any]:
        """The registry's declared properties with this entry's values."""
        return {p: getattr(self, p) for p in self.property_names}


class Registry[E: Entry]:
    """Named entries of one kind, all with the same declared properties.

    ``kind`` names the entries in messages ("concession style"); ``field`` is where a
    scenario names one (``agents.*.concession.style``); ``properties`` are the class
    attributes every entry must set (checked when it registers, so a half-declared entry
    fails at import, not in a user's run).
    """

    def __init__(self, kind: str, field: str, properties: tuple[str, ...]) -> None:
        self.kind = kind
        self.field = field
        self.property_names = properties
        self._entries: dict[str, E] = {}

    def register(self, cls: type[E]) -> type[E]:
        """Class decorator: check the entry's declaration and add one instance of it."""
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"{cls.__name__}: a {self.kind} needs a name that is an identifier")
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        if not cls.__doc__ or not cls.summary():
            raise TypeError(f"{self.kind} {name!r}: a docstring saying what it does is required")
        if not getattr(cls, "citation", ""):
            raise TypeError(f"{self.kind} {name!r}: a citation (its source) is required")
        missing = [p for p in self.property_names if not _declared(cls, p)]
        if missing:
            raise TypeError(f"{self.kind} {name!r}: declare {', '.join(missing)}")
        if not issubclass(cls.Parameters, Parameters):
            raise TypeError(f"{self.kind} {name!r}: Parameters must derive from Parameters")
        cls.property_names = self.property_names
        self._entries[name] = cls()
        return cls

    def __getitem__(self, name: str) -> E:
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        """Entry names in registration order."""
        return list(self._entries)

    def values(self) -> list[E]:
        """Entries in registration order."""
        return list(self._entries.values())


def _declared(cls: type, attribute: str) -> bool:
    """Whether ``attribute`` is set on ``cls`` or a base below :class:`Entry`'s own bases."""
    for klass in cls.__mro__:
        if klass in (Entry, object):
            return False
        if attribute in vars(klass):
            return True
    return False
