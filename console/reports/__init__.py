"""The determination letter (PDF through Qt) and exports."""
