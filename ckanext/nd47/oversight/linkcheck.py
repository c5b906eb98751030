"""Link checker: HTTP checks of resource URLs, run as CKAN background jobs (RQ on Redis).

- Never in a request: dataset hooks and the CLI only enqueue
  (``tk.enqueue_job``); a worker (``ckan jobs worker``) runs the checks.
- HEAD first; when a server refuses HEAD (405/501, or a 4xx some servers give
  to HEAD only) the same URL is asked again with a streamed GET that reads
  no body. Redirects are followed; a check is ok when the final answer is 2xx.
- Timeouts and 5xx answers are retried (``...linkcheck.retries``); 4xx are not.
- Per-host politeness lives in Redis, so it holds across every worker: at
  most ``...linkcheck.host_concurrency`` requests to one host at a time, and
  ``...linkcheck.host_delay`` seconds between two requests to it.
- Hosts matching ``...linkcheck.deny`` (shell patterns) are never requested
  (outcome "skipped"); when ``...linkcheck.allow`` is set, only matching hosts are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
import requests

__all__ = [
    "LINK_FIELDS",
    "Result",
    "check_url",
    "host_allowed",
    "host_of",
    "host_slot",
    "resource_links",
]

# resource fields that hold URLs, in the order they are checked
LINK_FIELDS: tuple[str, ...] = ("url", "access_url", "download_url")
# answers to HEAD after which a GET is tried
_HEAD_REFUSED = {400, 403, 404, 405, 406, 429, 501}
_PREFIX = "nd47:linkcheck"


@dataclasses.dataclass
class Result:
    """The outcome of checking one URL."""

    url: str
    outcome: str  # ok, broken or skipped
    status_code: int | None = None
    error: str | None = None
    method: str | None = None
    attempts: int = 0
    duration_ms: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_allowed(host: str) -> bool:
    """The allow and deny lists (shell patterns on the host name)."""
    deny = tk.aslist(tk.config.get("ckanext.nd47.oversight.linkcheck.deny"))
    allow = tk.aslist(tk.config.get("ckanext.nd47.oversight.linkcheck.allow"))
    if any(fnmatch.fnmatch(host, pattern) for pattern in deny):
        return False
    return not allow or any(fnmatch.fnmatch(host, pattern) for pattern in allow)


def resource_links(pkg_dict: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(resource id, field, url) of every http(s) URL of the dataset's resources."""
    links = []
    for res in pkg_dict.get("resources") or []:
        seen = set()
        for field in LINK_FIELDS:
            url = (res.get(field) or "").strip()
            if url.startswith(("http://", "https://")) and url not in seen:
                seen.add(url)
                links.append((res.get("id") or "", field, url))
    return links


def _redis() -> Any:
    # CKAN's own connection (ckan.redis.url); the toolkit does not name it
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()


def _key(host: str, what: str) -> str:
    return f"{_PREFIX}:{tk.config.get('ckan.site_id')}:{host}:{what}"


@contextlib.contextmanager
def host_slot(host: str) -> Iterator[None]:
    """Hold one of the host's request slots, after the host's delay has passed.

    The slot counter expires by itself, so a worker that dies holding a slot
    cannot block a host for longer than a request's timeout allows.
    """
    conn = _redis()
    limit = int(tk.config.get("ckanext.nd47.oversight.linkcheck.host_concurrency"))
    delay = float(tk.config.get("ckanext.nd47.oversight.linkcheck.host_delay"))
    timeout = float(tk.config.get("ckanext.nd47.oversight.linkcheck.timeout"))
    active, gap = _key(host, "active"), _key(host, "next")
    while True:
        count = conn.incr(active)
        conn.expire(active, int(timeout * 3) + 10)
        if count <= limit:
            break
        conn.decr(active)
        time.sleep(0.05)
    try:
        if delay > 0:
            while not conn.set(gap, 1, nx=True, px=int(delay * 1000)):
                time.sleep(max(conn.pttl(gap), 10) / 1000)
        yield
    finally:
        conn.decr(active)


def _request(session: requests.Session, method: str, url: str, timeout: float) -> int:
    response = session.request(
        method, url, timeout=timeout, allow_redirects=True, stream=(method == "GET")
    )
    response.close()
    return response.status_code


def check_url(url: str, session: requests.Session | None = None) -> Result:
    """Check one URL (politeness, retries, HEAD then GET); never raises."""
    host = host_of(url)
    if not host or not host_allowed(host):
        return Result(url, "skipped", error="host not allowed")
    timeout = float(tk.config.get("ckanext.nd47.oversight.linkcheck.timeout"))
    retries = int(tk.config.get("ckanext.nd47.oversight.linkcheck.retries"))
    session = session or requests.Session()
    session.headers["User-Agent"] = tk.config.get("ckanext.nd47.oversight.linkcheck.user_agent")
    result = Result(url, "broken")
    started = time.monotonic()
    for _attempt in range(retries + 1):
        result.attempts += 1
        try:
            with host_slot(host):
                result.method = "HEAD"
                status = _request(session, "HEAD", url, timeout)
                if status in _HEAD_REFUSED or status >= 500:
                    result.method = "GET"
                    status = _request(session, "GET", url, timeout)
            result.status_code, result.error = status, None
        except requests.Timeout:
            result.status_code, result.error = None, "timeout"
        except requests.RequestException as exc:
            result.status_code, result.error = None, type(exc).__name__
        status = result.status_code
        if status is not None and 200 <= status < 300:
            result.outcome = "ok"
            break
        if status is not None and status < 500:
            break  # a client error or a redirect loop is not cured by asking again
    result.duration_ms = int((time.monotonic() - started) * 1000)
    return result
