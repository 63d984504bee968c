"""The HTTP engine: auth injection, retries, pacing, redirects and pagination.

``engine`` describes every exchange as a generator of operations (send this, sleep that);
``runners`` executes them with a sync or an async httpx client.
"""
