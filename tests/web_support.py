"""What the web tests share: a sixth seed report, a hostile article, a store copy, a live server."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TOKEN = "test-token-5f1c"

# A sixth report of the seed story (written for these tests): the same call, other words.
SIXTH = (
    "Bogotá, January 8: Colombian President Gustavo Petro and US President Donald Trump spoke by telephone "
    "on Wednesday, their first direct conversation after weeks of insults over drug trafficking and "
    "Venezuela.\n"
    "Petro said the call with Trump lasted about 35 minutes and was cordial. Trump wrote on Truth Social "
    "that it was a Great Honor to speak with the President of Colombia, Gustavo Petro, who called to "
    "explain the situation of drugs.\n"
    "The two leaders agreed to meet at the White House. Secretary of State Marco Rubio and Colombia's "
    "foreign minister will arrange the visit, the Colombian presidency said.\n"
    "Days earlier Trump had called Petro a sick man who likes making cocaine and selling it to the United "
    "States, and Petro ordered troops to the border with Venezuela after US forces seized Nicolás Maduro.\n"
)

# Hostile text: markup and script in an article must be shown as text, never run.
HOSTILE = (
    "Officials met on Monday to discuss the new harbour bridge in Port Ellery, the council said.\n"
    "<script>document.title='PWNED'; window.pwned = true;</script>\n"
    "The mayor said the bridge would open in May. <img src=x onerror=\"document.title='PWNED'\">\n"
    "Engineers told reporters the harbour bridge cost 40 million euros to build over three years.\n"
)


def copy_store(source_db: str, target: Path) -> str:
    """A private copy of a SQLite store, so a test that writes leaves the shared one as it was."""
    path = source_db.removeprefix("sqlite:///")
    shutil.copyfile(path, target)
    return f"sqlite:///{target}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The app on a real uvicorn server on 127.0.0.1 (a free port), in a thread; its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
