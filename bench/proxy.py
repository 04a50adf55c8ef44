#!/usr/bin/env python3
"""A TCP proxy that counts connections and bytes and can add latency.

    bench/proxy.py --target 127.0.10.30:25 [--listen 127.0.0.1:0] [--delay-ms 20]
                   [--stats FILE]

Every accepted connection is forwarded to --target. With --delay-ms D, every
chunk is delivered D milliseconds after it was read, in each direction, so a
request and its answer cost 2·D more (20 ms each way = 40 ms round trip).
Connection setup costs one such round trip as well, like a TCP handshake over
that path: the client's first bytes reach the server no earlier than 3·D after
the connection was accepted, and the server's no earlier than 2·D. Order is
kept in each direction, and a half-close (EOF) is passed on after the data
before it.

Once listening, the proxy prints "listening ADDR:PORT" on standard output.
The counters (connections accepted, open, closed; bytes each way; and a
timeline of every connection: when it opened and closed, and its bytes) are written
as JSON to --stats, atomically, whenever a connection opens or closes, and to
standard error on SIGUSR1. SIGTERM or SIGINT stops the proxy after writing the
stats a last time.
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import time


class Stats:
    """Counters, written to a file when they change."""

    def __init__(self, path, target, delay_ms):
        self.path = path
        self.target = target
        self.delay_ms = delay_ms
        self.accepted = 0
        self.open = 0
        self.closed = 0
        self.upstream_failures = 0
        self.bytes_to_server = 0
        self.bytes_to_client = 0
        self.first_accept = None
        self.last_close = None
        # Per connection: [seconds from the first accept to this accept, to
        # its close, bytes to the server, bytes to the client].
        self.timeline = []

    def snapshot(self):
        return {
            "target": self.target,
            "delay_ms": self.delay_ms,
            "connections": self.accepted,
            "open": self.open,
            "closed": self.closed,
            "upstream_failures": self.upstream_failures,
            "bytes_to_server": self.bytes_to_server,
            "bytes_to_client": self.bytes_to_client,
            "first_accept": self.first_accept,
            "last_close": self.last_close,
            "timeline": self.timeline,
        }

    def write(self):
        if not self.path:
            return
        tmp = f"{self.path}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.snapshot(), f)
            f.write("\n")
        os.replace(tmp, self.path)


async def pump(reader, writer, delay, not_before, count):
    """Copy reader to writer; each chunk leaves at max(read time + delay,
    not_before). Passes EOF on as a half-close. Returns "eof", or "reset"
    when either side failed (the caller then drops both)."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read_side():
        while True:
            try:
                chunk = await reader.read(65536)
            except (ConnectionError, OSError):
                chunk = None
            await queue.put((max(loop.time() + delay, not_before), chunk))
            if not chunk:
                return

    reading = asyncio.create_task(read_side())
    try:
        while True:
            at, chunk = await queue.get()
            wait = at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if chunk is None:
                return "reset"
            if not chunk:
                if writer.can_write_eof():
                    writer.write_eof()
                    await writer.drain()
                return "eof"
            writer.write(chunk)
            count(len(chunk))
            await writer.drain()
    except (ConnectionError, OSError):
        return "reset"
    finally:
        reading.cancel()


async def serve(args):
    host, _, port = args.target.rpartition(":")
    target_host, target_port = host.strip("[]"), int(port)
    delay = args.delay_ms / 1000.0
    stats = Stats(args.stats, args.target, args.delay_ms)
    stats.write()
    tasks = set()

    async def handle(client_reader, client_writer):
        loop = asyncio.get_running_loop()
        accepted_at = loop.time()
        stats.accepted += 1
        stats.open += 1
        if stats.first_accept is None:
            stats.first_accept = time.time()
        entry = [round(time.time() - stats.first_accept, 3), None, 0, 0]
        stats.timeline.append(entry)
        stats.write()
        server_writer = None
        try:
            try:
                server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
            except OSError as error:
                stats.upstream_failures += 1
                print(f"proxy: connecting to {args.target}: {error}", file=sys.stderr)
                return

            def to_server(n):
                stats.bytes_to_server += n
                entry[2] += n

            def to_client(n):
                stats.bytes_to_client += n
                entry[3] += n

            up = asyncio.create_task(
                pump(client_reader, server_writer, delay, accepted_at + 3 * delay, to_server))
            down = asyncio.create_task(
                pump(server_reader, client_writer, delay, accepted_at + 2 * delay, to_client))
            pending = {up, down}
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                if any(task.exception() is not None or task.result() == "reset" for task in done):
                    # One side failed: drop both (the other pump then sees EOF).
                    for writer in (client_writer, server_writer):
                        writer.transport.abort()
            for task in (up, down):
                if task.exception() is not None:
                    print(f"proxy: {type(task.exception()).__name__}: {task.exception()}", file=sys.stderr)
        finally:
            for writer in (client_writer, server_writer):
                if writer is not None:
                    writer.close()
            for writer in (client_writer, server_writer):
                if writer is not None:
                    try:
                        await writer.wait_closed()
                    except (ConnectionError, OSError):
                        pass
            stats.open -= 1
            stats.closed += 1
            stats.last_close = time.time()
            entry[1] = round(stats.last_close - stats.first_accept, 3)
            stats.write()

    def track(reader, writer):
        task = asyncio.create_task(handle(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    host, _, port = args.listen.rpartition(":")
    server = await asyncio.start_server(track, host.strip("[]"), int(port), backlog=512)
    bound = server.sockets[0].getsockname()
    print(f"listening {bound[0]}:{bound[1]}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(
        signal.SIGUSR1, lambda: print(json.dumps(stats.snapshot()), file=sys.stderr, flush=True))
    async with server:
        await stop.wait()
    for task in list(tasks):
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stats.write()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="ADDR:PORT to forward to")
    parser.add_argument("--listen", default="127.0.0.1:0", help="ADDR:PORT (port 0: any free one)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="added to every chunk, each way")
    parser.add_argument("--stats", help="JSON stats file, rewritten on every open and close")
    args = parser.parse_args()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
