"""An aiosmtpd handler for phoihop's mail tests.

Run as: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtpd_recorder.Recorder DIRECTORY
(with this folder on PYTHONPATH). Every message accepted is written to DIRECTORY as one JSON
file {"mail_from", "rcpt_tos", "data" (the message as sent, base64)}, renamed into place once
complete. Recipients at reject.invalid are refused for good (550), those at later.invalid for
now (451).
"""

import base64
import json
import os
import time


class Recorder:
    def __init__(self, directory):
        self.directory = directory

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Recorder takes one argument: the directory to write messages to")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@reject.invalid"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address.endswith("@later.invalid"):
            return "451 4.3.0 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content
        if data is None:
            data = envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": base64.b64encode(data).decode("ascii"),
        }
        name = "%d-%d" % (time.time_ns(), os.getpid())
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.directory, name + ".json"))
        return "250 Message accepted for delivery"
