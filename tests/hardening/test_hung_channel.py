"""Item 8: a mail server that accepts the connection and then says nothing holds up only its
own batches; another department's webhook is delivered meanwhile, not after the timeout."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.channels import mail
from yuqing.alerts.deliver import send_due
from yuqing.alerts.detect import detect
from yuqing.storage.models import Delivery
from tests.alerts.conftest import Hook
from tests.alerts.helpers import DAYTIME, with_channels
from tests.factories import add_mention


class HungServer:
    """Accepts SMTP connections and never sends the greeting."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.held: list[socket.socket] = []
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_hung_mail_server_does_not_hold_up_the_webhook(db, alert_config, monkeypatch):
    monkeypatch.setattr(mail, "TIMEOUT", 10)
    hung, hook = HungServer(), Hook().start()
    try:
        mailto = f"mailto://127.0.0.1:{hung.port}?from=yuqing@zhifu.test&to=x@zhifu.test&secure=no"
        config = with_channels(alert_config, {d.id: [mailto, hook.url()] for d in alert_config.departments},
                               group_wait=timedelta(0))
        add_mention(db, when=DAYTIME - timedelta(minutes=10), title="仓库爆炸起火")
        assert detect(db, config, DAYTIME).opened == 1
        started = time.monotonic()
        sender = threading.Thread(target=send_due, args=(db, config, DAYTIME + timedelta(minutes=1)))
        sender.start()
        assert hook.arrived.wait(30), "the webhook never arrived"
        waited = time.monotonic() - started
        assert sender.is_alive() and hung.held, "the hung mail server was still being waited for"
        assert waited < mail.TIMEOUT
        sender.join(60)
        with db.session() as s:
            by_channel = {d.channel: d.status for d in s.scalars(select(Delivery))}
        assert by_channel[hook.url()] == "sent"
    finally:
        hung.close()
        hook.stop()
