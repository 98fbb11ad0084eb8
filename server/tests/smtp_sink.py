"""A real SMTP server on loopback for Atende's mail tests (aiosmtpd, from PyPI).

Every accepted message is written to DIR as NNNNNN.eml (the raw message, with the
envelope's recipients in an X-Envelope-To header first). Options:

  --refuse ADDR      answer RCPT TO:<ADDR> with a permanent 550 (repeatable)
  --kill-pid-file F  with --kill-at N: when the N-th message's data has arrived, read a
  --kill-at N        pid from F, SIGKILL that process, and do not accept the message
                     (the sender dies before any "250" reaches it)

Prints "ready PORT" on stdout once listening, then serves until killed.
"""

import argparse
import asyncio
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, refuse, kill_pid_file, kill_at):
        self.directory = directory
        self.refuse = {a.lower() for a in refuse}
        self.kill_pid_file = kill_pid_file
        self.kill_at = kill_at
        self.seen = 0
        self.stored = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.kill_at and self.seen == self.kill_at and self.kill_pid_file:
            with open(self.kill_pid_file) as f:
                pid = int(f.read().strip())
            os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(0.2)
            return "451 4.3.0 Try again later"
        self.stored += 1
        name = os.path.join(self.directory, "%06d.eml" % self.stored)
        tmp = name + ".tmp"
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, name)
        return "250 2.0.0 OK queued"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--kill-pid-file")
    parser.add_argument("--kill-at", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Sink(args.dir, args.refuse, args.kill_pid_file, args.kill_at)
    controller = Controller(handler, hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready %d" % args.port, flush=True)
    try:
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
