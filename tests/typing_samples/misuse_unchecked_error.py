from tether import Client

with Client() as client:
    result = client.execute("get-note", connection_id="c1", input={"id": "n1"})
    print(result.error.message)  # error: union-attr
