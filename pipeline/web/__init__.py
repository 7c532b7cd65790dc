"""The local web app: `create_app(WebConfig(db=...))`, served by `nqgraph serve`."""
from pipeline.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
