"""`nqgraph serve`: the local web page for office staff (pipeline/web/).

Bound to 127.0.0.1 unless told otherwise; other Host names are refused
(DNS rebinding), so a name or address other machines use must be allowed
with --allow-host.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pipeline.defaults import DEFAULT_DB

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the nqgraph CLI.

    >>> register(app)   # doctest: +SKIP
    """

    @app.command()
    def serve(
        port: int = typer.Option(8000, "--port", help="TCP port to listen on."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; keep 127.0.0.1 unless others must reach it."),
        db: Path = typer.Option(DEFAULT_DB, "--db", envvar="NQGRAPH_DB", show_envvar=True,
                                help="The SQLite store (made here if it does not exist; uploads add to it)."),
        upload_dir: Optional[Path] = typer.Option(None, "--upload-dir", help="Where uploads are kept (default: uploads/ beside the store)."),
        allow_host: List[str] = typer.Option([], "--allow-host", help="Extra Host header names to accept (repeatable)."),
        max_upload_mb: int = typer.Option(50, "--max-upload-mb", help="Largest request body accepted, in MB."),
        max_pages: int = typer.Option(300, "--max-pages", help="Most pages one uploaded document may have."),
        timeout: float = typer.Option(120.0, "--timeout", help="Seconds allowed to read one document."),
    ) -> None:
        """Run the web page: upload resolutions, read their tasks, ask questions, download the graph.

        Example: nqgraph serve --port 8000 --db outputs/nqgraph.sqlite
        """
        import uvicorn

        from pipeline.web import WebConfig, create_app
        from pipeline.web.uploads import UploadLimits

        config = WebConfig(db=db, upload_dir=upload_dir, host=host, allowed_hosts=tuple(allow_host),
                           max_body_bytes=max_upload_mb * 1024 * 1024,
                           limits=UploadLimits(max_pages=max_pages, timeout=timeout))
        typer.echo(f"nqgraph: serving {db} on http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/ (Ctrl+C stops)")
        uvicorn.run(create_app(config), host=host, port=port, proxy_headers=False, server_header=False,
                    log_level="warning")
