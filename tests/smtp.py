"""A tiny SMTP server on 127.0.0.1 in a thread, keeping the messages it receives.

Enough of RFC 5321 for Python's smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT); no aiosmtpd needed. The ``smtp`` fixture of tests/conftest.py
points CKAN's ``smtp.server`` at one for the test.
"""

from __future__ import annotations

import email
import email.header
import socketserver
import threading
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self._reply("220 localhost test SMTP")
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 localhost")
            elif verb in ("MAIL", "RSET"):
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines))
                self.server.messages.append((recipients, message))  # type: ignore[attr-defined]
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("250 OK")


class SMTPServer(socketserver.ThreadingTCPServer):
    """``with SMTPServer() as server:`` -> ``server.address``, ``server.messages``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.messages: list[tuple[list[str], Message]] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server_address[:2]
        return f"{host}:{port}"

    def __enter__(self) -> SMTPServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def to(self, address: str) -> list[Message]:
        """The messages sent to ``address``."""
        return [m for rcpts, m in self.messages if address in rcpts]

    def recipients(self) -> list[str]:
        """Every recipient of every message, in order."""
        return [r for rcpts, _ in self.messages for r in rcpts]

    def subjects(self) -> list[str]:
        """The decoded subject of every message, in order."""
        return [
            str(email.header.make_header(email.header.decode_header(m["Subject"])))
            for _, m in self.messages
        ]


def text(message: Message) -> str:
    """The decoded plain-text body of a message."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
