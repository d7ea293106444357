"""Hall Console: the desk program of a police–insurer linkage hall (警保联动指挥中心)."""

__version__ = "0.1.0"
