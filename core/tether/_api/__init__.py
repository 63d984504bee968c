"""The parts of the Python API, one module per concern (assembled in :mod:`tether._base_client`)."""
