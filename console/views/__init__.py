"""Widgets only: the main window, the shared queue and one view per seat."""
