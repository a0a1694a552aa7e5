"""Use cases: one method per command of the contract, on an eventsourcing Application."""
