"""Camera capture, frame conversion and evidence recording (no Qt, no widgets)."""
