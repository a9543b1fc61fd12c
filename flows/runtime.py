"""The environment a flow run needs, set before Prefect is imported (the CLI and the Python
API both run the flow)."""
from __future__ import annotations

import os

RUNTIME_DEFAULTS = {
    # Prefect's temporary server can start slowly on a loaded machine, close to its default
    # limit of 20 s (benchmarks/README.md).
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Nothing is downloaded at run time.
    "HF_HUB_OFFLINE": "1",
    "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.3",
}


def set_runtime_defaults() -> None:
    for key, value in RUNTIME_DEFAULTS.items():
        os.environ.setdefault(key, value)
