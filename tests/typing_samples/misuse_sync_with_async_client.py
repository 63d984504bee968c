from tether import AsyncClient

with AsyncClient() as client:  # error: attr-defined
    pass
