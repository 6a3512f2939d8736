"""Training exit heads (frozen or adapted encoder) and evaluating accuracy by depth."""

from core.training.adapted import AdaptConfig, train_adapted
from core.training.data import LabelledTexts, read_text_table
from core.training.evaluation import evaluate_depths
from core.training.exit_sweep import ExitTable, exit_table, sweep
from core.training.frozen import train_frozen_heads
from core.training.label_metrics import LabelReport, label_report
from core.training.refit import RefitConfig, refit_heads
from core.training.splits import write_split

__all__ = [
    "AdaptConfig",
    "ExitTable",
    "LabelReport",
    "LabelledTexts",
    "RefitConfig",
    "evaluate_depths",
    "exit_table",
    "label_report",
    "read_text_table",
    "refit_heads",
    "sweep",
    "train_adapted",
    "train_frozen_heads",
    "write_split",
]
