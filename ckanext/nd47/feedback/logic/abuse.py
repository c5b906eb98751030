"""Anti-abuse without losing honest messages: rate limits, reCAPTCHA, content limits.

Every check raises ``tk.ValidationError`` naming the field and the rule, before
anything is stored. Rate counters live in Redis (CKAN's connection), one key
per IP address and per e-mail address (or signed-in user) and window.
"""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import requests
from ckan.lib.captcha import CaptchaError, check_recaptcha
from ckan.lib.redis import connect_to_redis

__all__ = ["check_captcha", "check_content", "check_rate", "remote_addr"]

_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def remote_addr() -> str | None:
    """The client's IP address, or None outside a web request (CLI, jobs)."""
    try:
        return tk.request.remote_addr
    except RuntimeError:  # no request context
        return None


def _key(kind: str, value: str) -> str:
    return f"{tk.config.get('ckan.site_id')}:nd47_feedback:rate:{kind}:{value}"


def check_rate(sender: str | None) -> None:
    """Count one message from this IP and this sender; refuse the n+1-th.

    ``sender``: the e-mail address given, or the signed-in user's id. Both
    counters are read first, so a refused message is not counted.
    """
    window = tk.config.get("ckanext.nd47.feedback.rate_limit.window")
    limits = []
    ip = remote_addr()
    if ip:
        limits.append((_key("ip", ip), tk.config.get("ckanext.nd47.feedback.rate_limit.per_ip")))
    if sender:
        limits.append(
            (
                _key("sender", sender.lower()),
                tk.config.get("ckanext.nd47.feedback.rate_limit.per_email"),
            )
        )
    limits = [(key, limit) for key, limit in limits if limit]
    if not limits:
        return
    redis = connect_to_redis()
    for key, limit in limits:
        if int(redis.get(key) or 0) >= limit:
            minutes = max(1, (redis.ttl(key) if redis.ttl(key) > 0 else window) // 60)
            raise tk.ValidationError(
                {
                    "message": [
                        tk._(
                            "Too many messages were sent from this address in a short time"
                            " (at most {limit} in {window} minutes). Please try again in"
                            " {minutes} minutes."
                        ).format(limit=limit, window=window // 60, minutes=minutes)
                    ]
                }
            )
    for key, _limit in limits:
        # the window starts with the first message (EXPIRE NX needs Redis 7)
        if redis.incr(key) == 1:
            redis.expire(key, window)


def check_captcha() -> None:
    """CKAN's reCAPTCHA, when the portal configures it (ckan.recaptcha.*).

    Asked of anonymous senders only. Without a web request (an API call from
    a script) there is no answer to check, so the message is refused.
    """
    if not tk.config.get("ckan.recaptcha.privatekey"):
        return
    message = tk._("Please confirm you are not a robot (the reCAPTCHA check failed).")
    try:
        answer = tk.request.form.get("g-recaptcha-response", "")
    except RuntimeError:
        answer = ""
    if not answer:
        raise tk.ValidationError({"captcha": [message]})
    try:
        check_recaptcha(tk.request)
    except (CaptchaError, requests.RequestException, ValueError) as error:
        raise tk.ValidationError({"captcha": [message]}) from error


def check_content(title: str | None, body: str | None) -> None:
    """Length and link limits, with messages naming the field and the rule."""
    errors: dict[str, list[str]] = {}
    max_title = tk.config.get("ckanext.nd47.feedback.max_title_length")
    max_body = tk.config.get("ckanext.nd47.feedback.max_body_length")
    max_links = tk.config.get("ckanext.nd47.feedback.max_links")
    if title and len(title) > max_title:
        errors["title"] = [
            tk._("Title: at most {n} characters (this one has {m}).").format(
                n=max_title, m=len(title)
            )
        ]
    if body and len(body) > max_body:
        errors["body"] = [
            tk._("Text: at most {n} characters (this one has {m}).").format(n=max_body, m=len(body))
        ]
    links = len(_LINK.findall(f"{title or ''} {body or ''}"))
    if links > max_links:
        errors.setdefault("body", []).append(
            tk._("Text: at most {n} web links (this one has {m}).").format(n=max_links, m=links)
        )
    if errors:
        raise tk.ValidationError(errors)
