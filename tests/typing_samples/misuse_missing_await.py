from tether import AsyncClient


async def main() -> None:
    async with AsyncClient() as client:
        conn = client.sandbox_connection("example")
        print(conn.id)  # error: attr-defined
        client.run("create-note", connection_id="c1", input={"title": "lost"})  # error: unused-coroutine
