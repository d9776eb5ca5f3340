"""The example AI backend (services.ai in the example stack files): FastAPI on port 8000 with /health.

Replace it with your own service; keep a /health route that answers 200 without calling anything else, as the load
balancer's health check needs it (docs/services.md).
"""

import os

from fastapi import FastAPI

app = FastAPI(title="example ai service")


@app.get("/health")
def health() -> dict[str, str]:
    """The process is up; the load balancer checks this every 10 s."""
    return {"status": "ok"}


@app.get("/v1/echo")
def echo(text: str = "") -> dict[str, str]:
    """A stand-in for a model call: returns the text and the environment it runs in."""
    return {"text": text, "env": os.environ.get("ENV", "unknown")}
