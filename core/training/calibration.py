"""Measuring and fixing how far an exit head's confidence is from its accuracy: ECE, NLL, temperature scaling.

Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks") divides an exit's logits by one
scalar T fitted to minimise the negative log-likelihood on held-out rows; T > 1 softens an over-confident exit.
The argmax, hence every fixed path's decision, is unchanged; what changes is where a confidence rule fires.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from core.model import ExitHeads

ECE_BINS = 15
MAX_ITER = 100


def negative_log_likelihood(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Mean NLL of (N, C) logits against (N,) integer labels."""
    return float(nn.functional.cross_entropy(logits.float(), labels))


def expected_calibration_error(logits: torch.Tensor, labels: torch.Tensor, bins: int = ECE_BINS) -> float:
    """ECE: |accuracy − mean top probability| per equal-width confidence bin, weighted by the bin's share of rows."""
    confidence, predicted = logits.float().softmax(-1).max(-1)
    correct = (predicted == labels).float()
    bin_of = ((confidence * bins).ceil().long() - 1).clamp(0, bins - 1)  # (k/bins, (k+1)/bins] -> k
    error = torch.zeros(())
    for index in range(bins):
        in_bin = bin_of == index
        if in_bin.any():
            gap = (confidence[in_bin].mean() - correct[in_bin].mean()).abs()
            error += in_bin.float().mean() * gap
    return float(error)


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T > 0 minimising the NLL of `logits / T` (optimised over log T with L-BFGS; deterministic)."""
    logits = logits.detach().float()
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], max_iter=MAX_ITER, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp())


def calibration_by_exit(
    exit_logits: torch.Tensor, labels: torch.Tensor, temperatures: list[float]
) -> dict[str, list[float]]:
    """ECE and NLL of every exit's (E, N, C) logits before and after dividing by its temperature."""
    scaled = exit_logits / torch.tensor(temperatures, dtype=exit_logits.dtype)[:, None, None]
    return {
        "ece_before": [round(expected_calibration_error(z, labels), 4) for z in exit_logits],
        "ece_after": [round(expected_calibration_error(z, labels), 4) for z in scaled],
        "nll_before": [round(negative_log_likelihood(z, labels), 4) for z in exit_logits],
        "nll_after": [round(negative_log_likelihood(z, labels), 4) for z in scaled],
    }


def exit_logits_of(heads: ExitHeads, features: torch.Tensor) -> torch.Tensor:
    """(L, N, C) raw logits (no temperature) of every exit on (N, L, D) pooled features."""
    with torch.no_grad():
        return torch.einsum("nld,lcd->lnc", features, heads.weight) + heads.bias[:, None, :]


def calibrate_exits(heads: ExitHeads, features: torch.Tensor, labels: torch.Tensor, source: str) -> dict[str, Any]:
    """Fit one temperature per exit on held-out (N, L, D) features and set it on `heads`; return the record that
    `heads.json` keeps under `calibration` (temperatures, rows, ECE and NLL before and after)."""
    logits = exit_logits_of(heads, features)
    temperatures = [round(fit_temperature(z, labels), 4) for z in logits]
    with torch.no_grad():
        heads.temperature.copy_(torch.tensor(temperatures))
    return {
        "method": "temperature scaling per exit (NLL, L-BFGS over log T)",
        "temperatures": temperatures,
        "rows": int(labels.shape[0]),
        "data": source,
        **calibration_by_exit(logits, labels, temperatures),
    }
