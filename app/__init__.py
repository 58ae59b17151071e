"""Orchestration: the CLI, the cycle, scheduled jobs and the demo. The top layer: it may import every
stage; nothing below imports it."""
