"""A benchmark figure of 0 is a failed measurement, never a result."""

from __future__ import annotations

from bench import Figure, failed_measurements


def test_a_benchmark_figure_of_zero_is_a_failed_measurement() -> None:
    measured = Figure("online", 830.5, "commands/s", 6600.0, 0.126, "")
    latency = Figure("peak memory", 91.0, "MB", None, None, "")
    zero = Figure("HTTP recording", 0.0, "commands/s", 830.5, 0.0, "")
    no_baseline = Figure("bulk import", 9500.0, "commands/s", 0.0, 0.0, "")
    assert failed_measurements([measured, latency]) == []
    assert failed_measurements([measured, zero, no_baseline]) == ["HTTP recording", "bulk import"]
