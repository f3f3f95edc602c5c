"""Start the web app: ``python app.py`` is ``python -m assistant serve`` (the index is built first if
it is missing or stale), with the same plain messages when something is wrong."""

import sys

from assistant.cli import main
from assistant.web.app import build_app

__all__ = ["build_app"]

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
