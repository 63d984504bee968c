"""The HTTP engine: auth injection, retries, pacing, redirects and pagination.

``engine`` describes every exchange as a generator of operations (send this, sleep that);
``runners`` executes them with carriers: httpx for the network, the runtime for an in-process sandbox.
"""
