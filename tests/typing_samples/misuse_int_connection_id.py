from tether import Client

with Client() as client:
    client.run("get-note", connection_id=42, input={"id": "n1"})  # error: arg-type
