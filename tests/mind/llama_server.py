"""A real llama.cpp HTTP server (OpenAI-compatible) with a GGUF model, for tests.

    python tests/mind/llama_server.py MODEL.gguf API_KEY

Prints its base URL on the first line, then serves until stdin closes.
"""

from __future__ import annotations

import sys

import xllamacpp


def main() -> None:
    params = xllamacpp.CommonParams()
    params.model.path = sys.argv[1]
    params.api_keys = [sys.argv[2]]
    params.n_ctx = 4096
    params.n_parallel = 2
    params.cpuparams.n_threads = 2
    params.cpuparams_batch.n_threads = 2
    params.verbosity = -1
    params.warmup = False
    server = xllamacpp.Server(params)
    print(server.listening_address, flush=True)
    sys.stdin.read()  # serve until the test closes our stdin
    del server


if __name__ == "__main__":
    main()
