"""Qt adapters that run the core off the GUI thread and report by signals."""
