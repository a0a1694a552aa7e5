"""Read models built from the notification log: the quarterly return, history, registers."""
