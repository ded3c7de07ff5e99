"""A Redis server of the test's own (``redis_server``), on a free port, that a test can stop
and start again (``servers.RedisServer``)."""

import os
import shutil

import pytest

from .servers import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the Redis fault tests: `make browser` installs redis-server")
        pytest.skip("redis-server is missing: `make browser` installs it with apt")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
