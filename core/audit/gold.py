"""Gold labels, read by one rule wherever they are parsed (audits, evaluation, the advisor, the dashboard).

The rule, decided once per file from every gold value in it (`read_gold`):

- A value that is one of the model's label names is that label.
- A number (ASCII digits) that is not a label name is read as a position into the model's labels only when the
  model's label names are not themselves numbers and *every* number in the file is a valid position (0 up to the
  number of labels - 1). Otherwise numbers are left unread: `1-5` stars against labels `0-4` would be read off by
  one, and a checkpoint labelled `1`, `2`, `3` must not read `0` as its first label.
- `warning` says, naming the model's labels, when the file's labels do not fit the model: none of them is read, some
  numbers were left unread, or the positions read name only some of the model's labels (an SST-2 file's 0/1 audited
  with a 77-intent model reads as its first two intents).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.errors import InputError

LISTED = 5  # labels and values named in a warning


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


@dataclass(frozen=True)
class GoldReading:
    """How one file's gold values are read against a model's `labels` (see the module's rule)."""

    labels: tuple[str, ...]
    positions: bool  # numbers that are not label names are read as positions
    warning: str | None = None
    _by_name: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {name: i for i, name in enumerate(self.labels)})

    def index(self, value: str) -> int | None:
        """The label position `value` reads as, or None when the model does not know it."""
        named = self._by_name.get(value)
        if named is not None:
            return named
        return int(value) if self.positions and _is_number(value) else None

    def indices(self, values: Iterable[str]) -> list[int | None]:
        return [self.index(value) for value in values]


@dataclass
class _Tally:
    """What a file's gold values say about their reading; bounded memory however long the file."""

    labels: tuple[str, ...]
    values: int = 0
    named: int = 0
    numbers: set[int] = field(default_factory=set)  # distinct numbers that are valid positions
    beyond: list[str] = field(default_factory=list)  # numbers that are not valid positions (the first few)
    beyond_any: bool = False
    others: list[str] = field(default_factory=list)  # values neither a name nor a number (the first few)
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = frozenset(self.labels)

    def add(self, value: str) -> None:
        self.values += 1
        if value in self.names:
            self.named += 1
        elif _is_number(value) and int(value) < len(self.labels):
            self.numbers.add(int(value))
        elif _is_number(value):
            self.beyond_any = True
            if value not in self.beyond and len(self.beyond) < LISTED:
                self.beyond.append(value)
        elif value not in self.others and len(self.others) < LISTED:
            self.others.append(value)


def read_gold(values: Iterable[str], labels: Sequence[str]) -> GoldReading:
    """The reading of a file whose gold values are `values` (stripped strings; iterated once) for a model with
    `labels` (see the module's rule)."""
    tally = _Tally(tuple(labels))
    for value in values:
        tally.add(value)
    numeric_names = any(_is_number(name) for name in tally.labels)
    positions = bool(tally.numbers) and not numeric_names and not tally.beyond_any
    return GoldReading(tally.labels, positions, _warning(tally, positions, numeric_names))


def gold_indices(values: Sequence[str], labels: Sequence[str]) -> list[int | None]:
    """Every value of one file read by the rule: a label position, or None where the model does not know it."""
    return read_gold(values, labels).indices(values)


def require_two_labels(indices: Sequence[int | None], labels: Sequence[str], source: str) -> None:
    """Refuse rows whose known gold labels are all one label: their accuracy says nothing about a path (a path that
    always answers that label scores 100 %), so nothing may be chosen by it."""
    present = {index for index in indices if index is not None}
    if len(present) == 1:
        only = labels[present.pop()]
        raise InputError(
            f"every gold label of {source} is {only!r}: accuracy on rows of one label says nothing about a path (one "
            f"that always answers {only!r} scores 100 %); give rows of at least two labels"
        )


def _warning(tally: _Tally, positions: bool, numeric_names: bool) -> str | None:
    labels = tally.labels
    named = _named_labels(labels)
    unread_numbers = bool(tally.numbers or tally.beyond) and not positions
    why_numbers = (
        "this model's labels are themselves numbers, so a number is read only as a label name"
        if numeric_names
        else f"numbers are read as positions 0-{len(labels) - 1} only when every number is one, and "
        f"{', '.join(tally.beyond)} {'is' if len(tally.beyond) == 1 else 'are'} not"
    )
    if tally.values and not tally.named and not positions:
        seen = [*(str(n) for n in sorted(tally.numbers)), *tally.beyond, *tally.others][:LISTED]
        reason = f" ({why_numbers})" if unread_numbers else ""
        return (
            f"none of the gold labels ({', '.join(seen)}) is one of the model's labels{reason}: accuracy cannot "
            f"be measured. The model's labels are {named}; check --label-col, or audit with the model these labels "
            "belong to"
        )
    if unread_numbers:
        return f"numeric gold labels were left out of accuracy: {why_numbers}. The model's labels are {named}"
    if positions and len(tally.numbers) < len(labels):
        shown = sorted(tally.numbers)[:LISTED]
        mapping = ", ".join(f"{n} = {labels[n]}" for n in shown) + (", ..." if len(tally.numbers) > LISTED else "")
        return (
            f"numeric gold labels were read as positions into the model's {len(labels)} labels ({mapping}) and name "
            f"only {len(tally.numbers)} of them: if they are another task's labels, audit with that task's model, or "
            "give the labels by name"
        )
    return None


def _named_labels(labels: tuple[str, ...]) -> str:
    shown = ", ".join(labels[:LISTED])
    return shown + (f", ... ({len(labels)} in all)" if len(labels) > LISTED else "")
