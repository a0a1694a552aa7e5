"""Long-running processes: the scheduler and projection runners (thin: wire and run)."""
