"""A Redis server of the test's own (``redis_server``), on a free port, that a test can stop
and start again: nothing in it survives a restart (``--save ''``, no append-only file), as
after a crash or a flush of a Redis that keeps nothing on disk."""

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis

REDIS_SERVER = "redis-server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, binary: str):
        self.binary = binary
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 3) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    binary = shutil.which(REDIS_SERVER)
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing: `make redis` installs it with apt")
        pytest.skip("redis-server is missing: `make redis` installs it")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()
