"""Start the web app: ``python app.py`` (the index is built first if it is missing or stale)."""

from assistant.settings import Settings, configure_libraries

configure_libraries()

from assistant.web import build_app, launch  # noqa: E402 - telemetry switches must be set first

__all__ = ["build_app", "launch"]

if __name__ == "__main__":
    launch(Settings())
