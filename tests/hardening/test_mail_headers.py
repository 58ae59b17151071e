"""Items 2 and 3 through a real SMTP server (aiosmtpd), a webhook receiver and file://: a
crawled title with line breaks, a forged header and personal data reaches every department
on one subject line, masked, and never stops the warnings batched with it nor the duty
office's 投递失败 fallback."""

from __future__ import annotations

import re
from datetime import timedelta

from yuqing.alerts.channels import Message, send
from yuqing.alerts.deliver import send_due
from yuqing.alerts.detect import detect
from tests.alerts.helpers import DAYTIME, baseline, spike, with_channels
from tests.factories import add_mention
from tests.receivers import SMTPReceiver, WebhookReceiver, free_port

HOSTILE = ("燃气爆炸\r\nBcc: victim@evil.test\r\nX-Injected: 1\n\n伪造正文 "
           "联系人13912345678\u200b 身份证370602198801011234 （0535）6612345")
# whole numbers, and what a cut after 60 characters would leave of the phone number
PII = re.compile(r"1391234|370602198801011234|6612345")


def _hostile_warning(db):
    add_mention(db, when=DAYTIME - timedelta(minutes=10), title=HOSTILE)


def test_a_line_break_in_a_title_blocks_no_mail(db, alert_config, tmp_path):
    smtp, hook = SMTPReceiver().start(), WebhookReceiver()
    try:
        every = [smtp.url("dept@zhifu.test"), hook.url(), f"file://{tmp_path}/notices.md"]
        config = with_channels(alert_config, {d.id: every for d in alert_config.departments},
                               group_wait=timedelta(0))
        baseline(db)
        spike(db, 5)                      # an ordinary spike, batched with the hostile one
        _hostile_warning(db)
        assert detect(db, config, DAYTIME).opened == 2
        summary = send_due(db, config, DAYTIME + timedelta(minutes=1))
        assert summary.failed == 0 and summary.gave_up == 0 and summary.sent > 0
        subjects = smtp.subjects()
        assert any("燃气爆炸" in s for s in subjects) and any("冬季供暖" in s for s in subjects)
        for mail in smtp.messages:
            assert mail["Bcc"] is None and mail["X-Injected"] is None
            assert "\n" not in str(mail["Subject"]) or mail["Subject"].startswith("=?")
        for subject in subjects:
            assert "\r" not in subject and "\n" not in subject
        readable = subjects + smtp.bodies() + [str(p) for p in hook.received] + [
            (tmp_path / "notices.md").read_text(encoding="utf-8")]
        assert not any(PII.search(text) for text in readable)
        assert "139****5678" in "".join(readable)
        assert not any("\u200b" in text for text in readable)
    finally:
        smtp.stop()
        hook.stop()


def test_duty_office_fallback_carries_the_hostile_title(db, alert_config):
    smtp = SMTPReceiver().start()
    dead = f"mailto://127.0.0.1:{free_port()}?from=yuqing@zhifu.test&to=x@zhifu.test&secure=no"
    try:
        duty = alert_config.routing.duty_office
        config = with_channels(alert_config, {**{d.id: [dead] for d in alert_config.departments},
                                              duty: [smtp.url("duty@zhifu.test")]},
                               group_wait=timedelta(0), max_attempts=1)
        _hostile_warning(db)
        assert detect(db, config, DAYTIME).opened == 1
        send_due(db, config, DAYTIME + timedelta(minutes=1))         # departments fail
        send_due(db, config, DAYTIME + timedelta(minutes=2))         # the duty office is told
        fallback = [s for s in smtp.subjects() if "【投递失败】" in s]
        assert fallback and all("燃气爆炸" in s and "\n" not in s for s in fallback)
        assert not any(PII.search(t) for t in smtp.subjects() + smtp.bodies())
    finally:
        smtp.stop()


def test_a_message_built_anywhere_is_made_safe_by_the_channel(smtp):
    note = send(smtp.url("a@zhifu.test"), Message("k1", "zhujian", HOSTILE, HOSTILE))
    assert note.startswith("已发送邮件")
    [mail] = smtp.messages
    assert mail["Bcc"] is None and not PII.search(smtp.subjects()[0] + smtp.bodies()[0])
