"""Care Guide Assistant: cited answers from Skills for Care's Good and outstanding care guide."""

__version__ = "0.1.0"
