"""The path advisor: search paths on one part of a labelled table, re-measure the best on a part it did not see.

Candidates combine precision (fp32, bf16, int8), heads switched off in order of least expected sensitivity
(`core.advise.sensitivity`), a depth, and an exit policy. One pass per (precision, heads off) base keeps every
exit's logits for the search rows, so every depth and every exit policy of that base is simulated without running
again (`core.path.simulate`, the executor's own rule). Each candidate's cost on the search rows is its FLOPs and
an estimated time (the base pass's seconds per row, scaled by the candidate's share of the base's FLOPs).
The Pareto frontier of the search (accuracy against estimated time) is then audited for real on the held-out rows,
where rows/s is measured (`core.audit.run_audit`, the model loaded once), and the recommended path is the
cheapest measured one that meets the budget on both parts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from math import ceil
from typing import Any

import pandas as pd
import torch

from core.advise.budget import Budget
from core.advise.sensitivity import expected_sensitivity
from core.audit import run_audit
from core.errors import InputError
from core.path import ExitPolicy, PathSpec, simulate
from core.run import PathEngine, can_prune

PRECISIONS = ("fp32", "bf16", "int8")
HEADS_OFF_SHARES = (0.0, 1 / 4, 1 / 2)  # of the heads the path runs, least sensitive first
THRESHOLDS = (0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99)
# threshold schedules (one per exit): start at the first, lower by the step at each later exit, down to the floor;
# deeper exits asking less stops most of the rows no exit is sure of before the last layers (issue 29)
SCHEDULE_STARTS, SCHEDULE_STEPS, SCHEDULE_FLOOR = (0.85, 0.9, 0.93), (0.05, 0.1), 0.6
OBJECTIVES = ("rows_per_s", "flops")
MIN_PART_ROWS = 10  # fewer search or held-out rows are refused: one row would be more than 10 accuracy points
StageProgress = Callable[[str, float], None]  # (stage, fraction of the stage done)


@dataclass(frozen=True)
class Candidate:
    """One path's figures: on the search rows rows/s is estimated; on the held-out rows it is measured."""

    path: str
    accuracy: float
    agreement: float  # share of rows answered as the full path answers them
    rows_per_s: float
    flops: float  # mean FLOPs per row
    measured: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["accuracy"], data["agreement"] = round(self.accuracy, 4), round(self.agreement, 4)
        data["rows_per_s"], data["flops"] = round(self.rows_per_s, 2), round(self.flops)
        return data


@dataclass(frozen=True)
class Advice:
    full: Candidate  # the full path on the held-out rows
    also: tuple[Candidate, ...]  # the paths asked for besides the search's, measured on the held-out rows
    frontier: tuple[Candidate, ...]  # measured on the held-out rows, Pareto-optimal
    recommended: Candidate
    searched: tuple[Candidate, ...]  # the search's frontier, estimated on the search rows
    candidates: int
    precision_speed: dict[str, float]  # each precision's rows/s against fp32 on one batch (the probe)
    rows: dict[str, int]
    head_order: tuple[str, ...]  # heads from least to most expected sensitivity on the search rows
    budget: str
    objective: str
    seed: int
    seconds: float
    notes: tuple[str, ...] = field(default=())

    @property
    def uncertainty(self) -> dict[str, Any]:
        """How far the held-out rows can be trusted: one row's worth in accuracy points, and one standard error of
        the recommended path's accuracy change (at most sqrt(rows answered unlike the full path) / rows)."""
        rows = self.rows["held_out"]
        differing = (1 - self.recommended.agreement) * rows
        return {
            "held_out_rows": rows,
            "one_row_points": round(100 / rows, 3),
            "change_standard_error_points": round(100 * differing**0.5 / rows, 3),
        }

    @property
    def confident(self) -> bool:
        """Whether the held-out rows resolve the loss budget: one row, and one standard error of the recommended
        path's change, are each within it (always True for a budget without a loss term)."""
        loss = Budget.parse(self.budget).max_loss_points
        figures = self.uncertainty
        return loss is None or max(figures["one_row_points"], figures["change_standard_error_points"]) <= loss

    def to_json(self) -> dict[str, Any]:
        full = self.full
        return {
            "recommended": {
                **self.recommended.to_json(),
                "speedup_vs_full": round(self.recommended.rows_per_s / full.rows_per_s, 3),
                "accuracy_change_points": round((self.recommended.accuracy - full.accuracy) * 100, 2),
            },
            "full": full.to_json(),
            "also": [candidate.to_json() for candidate in self.also],
            "frontier": [candidate.to_json() for candidate in self.frontier],
            "search_frontier": [candidate.to_json() for candidate in self.searched],
            "candidates_searched": self.candidates,
            "precision_speed": self.precision_speed,
            "rows": self.rows,
            "budget": self.budget,
            "objective": self.objective,
            "seed": self.seed,
            "seconds": round(self.seconds, 1),
            "head_order": list(self.head_order),
            "uncertainty": self.uncertainty,
            "confident": self.confident,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class _Table:
    """Every exit's logits of one base path on the search rows (E exits, N rows, C labels)."""

    spec: PathSpec  # the base: precision and heads off, every layer, no exit policy
    logits: torch.Tensor  # (E, N, C)
    flops: torch.Tensor  # (E, N): FLOPs of the fixed path stopping at each exit, each row at its own length
    seconds_per_row: float  # the pass's wall time per row (all exits come out of it)


@dataclass(frozen=True)
class _Option:
    """A candidate on the search rows, before measurement."""

    spec: PathSpec
    base: PathSpec
    predicted: torch.Tensor  # (N,)
    flops: float
    seconds_per_row: float  # estimated


def split_rows(rows: int, seed: int, holdout_share: float) -> tuple[list[int], list[int]]:
    """(search rows, held-out rows): a seeded permutation cut at `holdout_share`."""
    if not 0 < holdout_share < 1:
        raise InputError(f"the held-out share is a fraction in (0, 1) (got {holdout_share}), e.g. 0.5")
    order = torch.randperm(rows, generator=torch.Generator().manual_seed(seed)).tolist()
    cut = rows - max(1, round(rows * holdout_share))
    if cut < 1:
        split = f"{rows} row(s) cannot be split into a search and a held-out part"
        raise InputError(f"{'the file has no rows' if rows == 0 else split}: give more rows")
    return order[:cut], order[cut:]


def advise(
    engine: PathEngine,
    search: pd.DataFrame,
    held_out: pd.DataFrame,
    gold_search: Sequence[int],
    *,
    text_col: str = "text",
    label_col: str = "label",
    budget: Budget,
    objective: str = "rows_per_s",
    seed: int = 0,
    sensitivity_rows: int = 1000,
    batch_size: int = 64,
    progress: StageProgress | None = None,
    also: Sequence[PathSpec] = (),
    min_rows: int = MIN_PART_ROWS,
) -> Advice:
    """Search on `search` (gold label indices `gold_search`), measure on `held_out`; see the module docstring.

    `also`: paths to measure on the held-out rows beside the searched ones (e.g. today's path), reported in
    `measured` and never recommended unless searched. Fewer than `min_rows` search or held-out rows are refused;
    held-out rows too few to resolve a loss budget are reported (`uncertainty`, `confident`, a note).
    """
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective {objective!r}: choose {' or '.join(OBJECTIVES)}")
    for part, rows in (("search", len(search)), ("held-out", len(held_out))):
        if rows < min_rows:
            raise InputError(
                f"{rows} {part} row(s) are too few to judge a path (one row would be {100 / max(rows, 1):.3g} "
                f"accuracy points): give at least {min_rows} rows in each part, {2 * min_rows} in one --input"
            )
    started = time.perf_counter()
    tick = progress or (lambda stage, fraction: None)
    full = PathSpec.full(engine.model.template)
    texts = search[text_col].astype(str).tolist()
    gold = torch.tensor(list(gold_search))
    sensitivity = _sensitivity(engine, full, texts, gold, sensitivity_rows, batch_size, tick)
    order = sensitivity.head_order(full)
    probe = _probe_precisions(engine, full, texts[:batch_size]) if objective == "rows_per_s" else {"fp32": 1.0}
    precisions = [p for p, speed in probe.items() if speed >= 1.0]  # a precision slower than fp32 cannot help
    if objective == "flops":  # heads off always count in FLOPs
        sliced = precisions
    else:
        sliced = [p for p in precisions if can_prune(engine.model.variant(full.device, p).layers[-1])]
    bases = _bases(full, order, precisions, sliced)
    tables = []
    for index, base in enumerate(bases):
        tables.append(_pass(engine, base, texts, batch_size))
        tick("search", (index + 1) / len(bases))
    full_predicted = tables[0].logits[-1].argmax(-1)
    full_accuracy = float((full_predicted == gold).float().mean())
    options = [option for table in tables for option in _options(table)]
    scored = [_estimate(option, gold, full_predicted) for option in options]
    chosen = _to_measure(options, scored, budget, full_accuracy, gold, full_predicted)
    extra = [spec for spec in also if spec.canonical not in {c.canonical for c in [full, *chosen]}]
    everything, full_measured = _measure(
        engine, held_out, [full, *chosen, *extra], text_col, label_col, batch_size, tick
    )
    measured = everything[: 1 + len(chosen)]
    held_full = full_measured.accuracy
    by_path = {candidate.path: (candidate, searched) for candidate, searched in zip(scored, options, strict=True)}

    def searched_within(path: str) -> bool:  # on the search rows, with the margin for unseen rows
        candidate, option = by_path[path]
        margin = budget.max_loss_points is None or (
            loss_bound(option.predicted, gold, full_predicted) <= budget.max_loss_points + 1e-9
        )
        return margin and budget.allows(candidate.accuracy, candidate.agreement, full_accuracy)

    within = [
        candidate
        for candidate in measured
        if budget.allows(candidate.accuracy, candidate.agreement, held_full) and searched_within(candidate.path)
    ]
    recommended = best(within or [full_measured], objective)
    frontier = _pareto(measured, objective)
    notes = [] if within else ["no searched path met the budget on both parts: the full path is recommended"]
    slow = [p for p, speed in probe.items() if speed < 1.0]
    if slow:
        notes.append(f"not searched, slower than fp32 on this machine: {', '.join(slow)}")
    advice = Advice(
        full=full_measured,
        also=tuple(c for c in everything if c.path in {spec.canonical for spec in also}),
        frontier=tuple(frontier),
        recommended=recommended,
        searched=tuple(_pareto(scored, objective)),
        candidates=len(options),
        precision_speed=probe,
        rows={"search": len(texts), "held_out": len(held_out), "sensitivity": sensitivity.rows},
        head_order=tuple(f"{layer}.{head}" for layer, head in order),
        budget=budget.canonical,
        objective=objective,
        seed=seed,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )
    if advice.confident:
        return advice
    figures, loss = advice.uncertainty, budget.max_loss_points or 1.0
    # one row at most half the budget, and one standard error (100 * sqrt(differing share / rows)) within it
    wanted = max(ceil(200 / loss), ceil((1 - recommended.agreement) * (100 / loss) ** 2))
    warning = (
        f"not confident: on {len(held_out)} held-out rows one row is {figures['one_row_points']:.3g} accuracy "
        f"point{'' if figures['one_row_points'] == 1 else 's'} "
        f"and the recommended path's change is ±{figures['change_standard_error_points']:.2g} points (one standard "
        f"error), against a budget of {loss:g} points: give at least {wanted} held-out rows before trusting it"
    )
    return replace(advice, notes=(warning, *advice.notes))


def _sensitivity(
    engine: PathEngine,
    full: PathSpec,
    texts: list[str],
    gold: torch.Tensor,
    rows: int,
    batch_size: int,
    tick: StageProgress,
) -> Any:
    count = min(rows, len(texts))
    order = sorted(range(count), key=lambda row: len(texts[row]))  # by length: little padding in each batch
    batches = (
        ([texts[row] for row in part], [int(gold[row]) for row in part])
        for part in (order[start : start + batch_size] for start in range(0, count, batch_size))
    )
    return expected_sensitivity(engine, batches, full, progress=lambda done: tick("importance", done / count))


def _probe_precisions(engine: PathEngine, full: PathSpec, texts: list[str]) -> dict[str, float]:
    """Each precision's speed against fp32 on one batch of the full path (best of two timings, after a warm-up that
    also builds the variant). Without native bf16 instructions a CPU runs bf16 several times slower than fp32."""
    allowed = [p for p in PRECISIONS if engine.model.family.refusal(p) is None]  # GPT-2 refuses int8
    specs = {precision: full.replace(precision=precision) for precision in allowed}
    ids = [engine.prepare(text, full).token_ids for text in texts]
    best: dict[str, float] = {}
    for round_ in range(3):
        for precision, spec in specs.items():
            started = time.perf_counter()
            engine.run([spec], ids if round_ else ids[:2])
            if round_:
                best[precision] = min(best.get(precision, float("inf")), time.perf_counter() - started)
    return {precision: round(best["fp32"] / seconds, 3) for precision, seconds in best.items()}


def _bases(
    full: PathSpec, order: list[tuple[int, int]], precisions: Sequence[str], sliced: Sequence[str]
) -> list[PathSpec]:
    """Every (precision, heads off) base; fp32 with every head first (the full path). Heads go off only at the
    precisions in `sliced` (off heads never computed): elsewhere (int8) they are gated, cost the same time, and
    could only lose accuracy."""
    bases = []
    for precision in precisions:
        for share in HEADS_OFF_SHARES if precision in sliced else HEADS_OFF_SHARES[:1]:
            off = frozenset(order[: round(len(order) * share)])
            bases.append(full.replace(precision=precision, heads_off=off))
    return bases


def _pass(engine: PathEngine, base: PathSpec, texts: list[str], batch_size: int) -> _Table:
    """One pass of `base` over the texts, every exit read out (shared prefix); the FLOPs of stopping at each.

    Texts run in batches of similar length (little padding); the table is in the texts' order.
    """
    model = engine.model
    stopped = [base.stopped_at(position) for position in base.exit_positions]
    order = sorted(range(len(texts)), key=lambda row: len(texts[row]))
    logits: list[torch.Tensor] = []
    tokens: list[tuple[int, ...]] = []
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        ids = [engine.prepare(texts[row], base).token_ids for row in order[start : start + batch_size]]
        run = engine.run(stopped, ids)
        logits.append(torch.stack(list(run.outputs)))  # (E, b, C)
        tokens.extend(text.piece_tokens for text in run.texts)
    seconds = time.perf_counter() - started
    restore = torch.empty(len(texts), dtype=torch.long)
    restore[torch.tensor(order)] = torch.arange(len(texts))  # sorted position of each text
    cost = {n: [model.path_flops(spec, n) for spec in stopped] for n in {n for row in tokens for n in row}}
    flops = torch.tensor([[sum(cost[n][e] for n in row) for row in tokens] for e in range(len(stopped))])
    table = torch.cat(logits, dim=1)[:, restore]  # (E, N, C) in the texts' order
    return _Table(base, table, flops.double()[:, restore], seconds / len(texts))


def _options(table: _Table) -> list[_Option]:
    """Every depth of the base, and every confidence threshold, threshold schedule and patience at every depth with
    two exits or more."""
    exits, rows = table.logits.shape[0], table.logits.shape[1]
    full_flops = float(table.flops[-1].mean())
    index = torch.arange(rows)

    def option(spec: PathSpec, chosen: torch.Tensor) -> _Option:
        flops = float(table.flops[chosen, index].mean())
        predicted = table.logits[chosen, index].argmax(-1)
        return _Option(spec, table.spec, predicted, flops, table.seconds_per_row * flops / full_flops)

    options = []
    for last in range(exits):
        fixed = table.spec.stopped_at(table.spec.exit_positions[last])
        options.append(option(fixed, torch.full((rows,), last)))
        if last == 0:
            continue
        policies = [ExitPolicy("confidence", threshold=t) for t in THRESHOLDS]
        policies += schedules(last)
        policies += [ExitPolicy("patience", patience=p) for p in (2, 3) if p < last + 1]
        for policy in policies:
            options.append(option(fixed.replace(exit=policy), simulate(policy, table.logits[: last + 1])[0]))
    return options


def schedules(last: int) -> list[ExitPolicy]:
    """The threshold schedules of a path whose last exit is `last` (0-based): one threshold for each exit before it."""
    policies = []
    for start in SCHEDULE_STARTS:
        for lower in SCHEDULE_STEPS:
            values = [round(max(start - lower * index, SCHEDULE_FLOOR), 4) for index in range(last)]
            if len(set(values)) > 1:  # one value is a plain threshold, searched already
                policies.append(ExitPolicy("confidence", threshold=values[0], later=tuple(values[1:])))
    return policies


def _estimate(option: _Option, gold: torch.Tensor, full_predicted: torch.Tensor) -> Candidate:
    return Candidate(
        path=option.spec.canonical,
        accuracy=float((option.predicted == gold).float().mean()),
        agreement=float((option.predicted == full_predicted).float().mean()),
        rows_per_s=1.0 / option.seconds_per_row,
        flops=option.flops,
    )


def _to_measure(
    options: list[_Option],
    scored: list[Candidate],
    budget: Budget,
    full_accuracy: float,
    gold: torch.Tensor,
    full_predicted: torch.Tensor,
) -> list[PathSpec]:
    """Per base, its fewest-FLOPs path within budget on the search rows, and with a loss budget also its
    fewest-FLOPs path within the budget by a margin for rows it has not seen (its loss plus one standard error of
    it, `loss_bound`) and within three times the budget (to draw the frontier beyond it)."""

    def within(o: _Option, c: Candidate) -> bool:
        return budget.allows(c.accuracy, c.agreement, full_accuracy)

    limits: list[Callable[[_Option, Candidate], bool]] = [within]
    loss = budget.max_loss_points
    if loss is not None:
        wider = Budget(3 * loss)

        def with_margin(o: _Option, c: Candidate) -> bool:
            return within(o, c) and loss_bound(o.predicted, gold, full_predicted) <= loss + 1e-9

        def beyond(o: _Option, c: Candidate) -> bool:
            return wider.allows(c.accuracy, c.agreement, full_accuracy)

        limits = [with_margin, within, beyond]
    chosen: dict[str, PathSpec] = {}
    for base in dict.fromkeys(option.base for option in options):
        mine = [(o, c) for o, c in zip(options, scored, strict=True) if o.base == base]
        for limit in limits:
            fitting = [(o, c) for o, c in mine if limit(o, c)]
            if fitting:
                cheapest = min(fitting, key=lambda pair: (pair[1].flops, pair[1].path))[0]
                chosen.setdefault(cheapest.spec.canonical, cheapest.spec)
    return [spec for path, spec in chosen.items() if path != "full"]


def loss_bound(predicted: torch.Tensor, gold: torch.Tensor, full_predicted: torch.Tensor) -> float:
    """A path's accuracy loss against the full path in points, plus one standard error of it (paired: from the rows
    only one of the two answers right), so that a path kept by it stays within budget on most unseen samples."""
    right, full_right = predicted == gold, full_predicted == gold
    lost, gained, rows = int((full_right & ~right).sum()), int((right & ~full_right).sum()), len(gold)
    variance = max(lost + gained - (lost - gained) ** 2 / rows, 0.0)
    return 100 * ((lost - gained) + variance**0.5) / rows


def _measure(
    engine: PathEngine,
    frame: pd.DataFrame,
    specs: list[PathSpec],
    text_col: str,
    label_col: str,
    batch_size: int,
    tick: StageProgress,
) -> tuple[list[Candidate], Candidate]:
    """Audit every path on the held-out rows (the full path first and again last, its rows/s the mean of both)."""
    runs: dict[str, tuple[list[str], float, float, float]] = {}  # path -> labels, accuracy, rows/s, mean FLOPs
    order = [*specs, specs[0]]
    for index, spec in enumerate(order):
        parts: list[pd.DataFrame] = []
        result = run_audit(
            engine,
            frame,
            spec,
            against=None,
            text_col=text_col,
            label_col=label_col,
            batch_size=batch_size,
            on_rows=parts.append,
        )
        rows = pd.concat(parts)
        figures = (rows["label"].tolist(), result.accuracy or 0.0, result.rows_per_s, float(rows["flops"].mean()))
        if spec.canonical in runs:
            first = runs[spec.canonical]
            figures = (first[0], first[1], (first[2] + figures[2]) / 2, first[3])
        runs[spec.canonical] = figures
        tick("measure", (index + 1) / len(order))
    full_labels = runs[specs[0].canonical][0]

    def candidate(path: str) -> Candidate:
        labels, accuracy, rows_per_s, flops = runs[path]
        agreement = sum(a == b for a, b in zip(labels, full_labels, strict=True)) / len(labels)
        return Candidate(path, accuracy, agreement, rows_per_s, flops, measured=True)

    measured = [candidate(spec.canonical) for spec in specs]
    return measured, measured[0]


def _cost(candidate: Candidate, objective: str) -> float:
    return candidate.flops if objective == "flops" else 1.0 / candidate.rows_per_s


def best(candidates: list[Candidate], objective: str) -> Candidate:
    """The cheapest by the objective; by rows/s, those within 10 % of the fastest count as tied (timings are noisy)
    and the most accurate on the held-out rows among them wins (then the fewest FLOPs), so a rerun picks the same
    path unless speeds moved by more. FLOPs do not break the tie: int8 saves time, not FLOPs."""
    if objective == "flops":
        return min(candidates, key=lambda c: (c.flops, c.path))
    fastest = max(c.rows_per_s for c in candidates)
    tied = [c for c in candidates if c.rows_per_s >= 0.9 * fastest]
    return min(tied, key=lambda c: (-c.accuracy, c.flops, c.path))


def _pareto(candidates: Sequence[Candidate], objective: str) -> list[Candidate]:
    """Those no other candidate beats on both accuracy and cost, cheapest first."""
    ordered = sorted(candidates, key=lambda c: (_cost(c, objective), -c.accuracy, c.path))
    frontier: list[Candidate] = []
    for candidate in ordered:
        if not frontier or candidate.accuracy > frontier[-1].accuracy:
            frontier.append(candidate)
    return frontier
