"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

A test module that wants mail delivered to it overrides `app_config`:

    from tests.support.mail import smtp_config, smtp_server  # noqa: F401

    @pytest.fixture
    def app_config(smtp_server):
        return smtp_config(smtp_server)
"""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

_URL = re.compile(r"https?://[^\s<>\"']+")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ReceivedMail:
    def __init__(self, envelope):
        self.recipients = list(envelope.rcpt_tos)
        self.message = message_from_bytes(envelope.content, policy=policy.default)

    @property
    def subject(self):
        return str(self.message["Subject"])

    def part(self, content_type):
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        if body is None or body.get_content_type() != content_type:
            return None
        return body.get_content()

    @property
    def text(self):
        return self.part("text/plain")

    @property
    def html(self):
        return self.part("text/html")

    def links(self):
        return _URL.findall(self.text or "")

    def link_to(self, path_fragment):
        """The one link whose address contains `path_fragment`."""
        found = [url for url in self.links() if path_fragment in url]
        assert found, f"no link with {path_fragment!r} in:\n{self.text}"
        return found[0]


class Inbox:
    """The aiosmtpd handler: every message accepted, kept in arrival order."""

    def __init__(self):
        self.messages = []
        self.port = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(ReceivedMail(envelope))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m.recipients]

    def last_to(self, address):
        found = self.to(address)
        assert found, f"no mail to {address}; got {[m.recipients for m in self.messages]}"
        return found[-1]


def start_smtp(inbox, port=None):
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    inbox.port = controller.port
    return controller


@pytest.fixture
def smtp_server():
    """A running SMTP server; yields its Inbox."""
    inbox = Inbox()
    controller = start_smtp(inbox)
    yield inbox
    controller.stop()


def smtp_config(inbox):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port}
