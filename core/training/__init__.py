"""Training exit heads (frozen or adapted encoder) and evaluating accuracy by depth."""

from core.training.adapted import AdaptConfig, train_adapted
from core.training.data import read_text_table
from core.training.evaluation import evaluate_depths
from core.training.exit_sweep import ExitTable, exit_table, sweep
from core.training.frozen import train_frozen_heads
from core.training.refit import RefitConfig, refit_heads

__all__ = [
    "AdaptConfig",
    "ExitTable",
    "RefitConfig",
    "evaluate_depths",
    "exit_table",
    "read_text_table",
    "refit_heads",
    "sweep",
    "train_adapted",
    "train_frozen_heads",
]
