"""The path advisor: which heads and layers matter (attribution patching), and the cheapest path that keeps a
decision good enough (a seeded search over depths, exit policies, heads off and precision)."""

from core.advise.importance import Ablation, Importance, ablation, head_importance, spearman

__all__ = ["Ablation", "Importance", "ablation", "head_importance", "spearman"]
