"""Running a path: the layer loop, heads off, long texts in windows, cost, decisions."""

from core.run.attention_bias import LayerProgram, attention_bias, layer_program, pooling_mask, programmed_heads
from core.run.engine import Decision, PathEngine, marks_of, window_notes
from core.run.executor import (
    AdaptiveRun,
    Batch,
    Gates,
    embed,
    pad_ids,
    path_logits,
    run_adaptive,
    run_layers,
    run_paths,
)
from core.run.program_marks import BLOCK_MARK, EMPHASIS_MARK, marks_for_texts, program_notes, token_marks
from core.run.pruned import can_prune, run_pruned_layer
from core.run.runner import first_window, run_token_lists
from core.run.timing import REPEATS, PairTiming, Timing, decide_full_and_time
from core.run.windows import WindowPlan, plan_windows, window_ids

__all__ = [
    "BLOCK_MARK",
    "EMPHASIS_MARK",
    "REPEATS",
    "AdaptiveRun",
    "Batch",
    "Decision",
    "Gates",
    "LayerProgram",
    "PairTiming",
    "PathEngine",
    "Timing",
    "WindowPlan",
    "attention_bias",
    "can_prune",
    "decide_full_and_time",
    "embed",
    "first_window",
    "layer_program",
    "marks_for_texts",
    "marks_of",
    "pad_ids",
    "path_logits",
    "plan_windows",
    "pooling_mask",
    "program_notes",
    "programmed_heads",
    "run_adaptive",
    "run_layers",
    "run_paths",
    "run_pruned_layer",
    "run_token_lists",
    "token_marks",
    "window_ids",
    "window_notes",
]
