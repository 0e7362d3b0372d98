"""Redis as Django's cache, where a Redis that is down costs a render, never an error.

Django's own RedisCache raises the client's ConnectionError or TimeoutError to the caller,
so a restarting Redis would turn every cached page (and the list's cached counts) into a
500. Here a failed call is logged and treated as a miss (`get` gives the default, `set`
stores nothing), and for RETRY_SECONDS after it no call waits for Redis again: each worker
renders pages from the database meanwhile, then tries Redis again.

Django's client also builds a new `redis.Redis` for every call, which fills a table of
about 170 reply handlers each time: as much CPU as the round trip itself (a cProfile of the
load test's new lists: 0.39 of 0.78 ms per call). Here each server's `redis.Redis` is made
once and shared, as redis-py allows (a command borrows a connection from the pool).
"""

from __future__ import annotations

import logging
import re
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one `redis.Redis` per connection pool (see the module doc)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Both private names are Django's own (django/core/cache/backends/redis.py), which
        # django-stubs does not declare.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class ForgivingRedisCache(RedisCache):
    """RedisCache whose failures are misses, with shared clients (see the module doc)."""

    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        first = re.split("[;,]", server)[0] if isinstance(server, str) else server[0]
        self._where = first.rsplit("@", 1)[-1]  # for the log: the host, not the password

    def _call(self, method: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "cache unavailable (%s), pages are rendered without it for %.0f s: %s",
                self._where,
                RETRY_SECONDS,
                error,
            )
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
