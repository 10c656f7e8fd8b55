"""A mail backend for the worker test: one file per message in ZHIBU_MAIL_SINK.

While the file `block` exists in that folder, sending announces itself (the file `sending`) and hangs,
so that the test can kill the worker in the middle of a send.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SinkBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["ZHIBU_MAIL_SINK"])
        for message in messages:
            block = folder / "block"
            if block.exists():
                (folder / "sending").write_text(message.subject)
                deadline = time.monotonic() + 120
                while block.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
