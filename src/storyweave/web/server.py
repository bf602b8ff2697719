"""Run the app on uvicorn: one process, one command, stopped cleanly by Ctrl-C."""

from __future__ import annotations

from storyweave.web.app import Settings, create_app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, log_level: str = "warning") -> None:
    """Serve until interrupted; uvicorn handles Ctrl-C and SIGTERM by finishing open requests first."""
    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False)
    uvicorn.Server(config).run()
