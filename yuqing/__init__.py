"""yuqing (舆情): public-opinion monitoring for district governments."""

__version__ = "0.1.0"
