#!/usr/bin/env python3
# frames.py: writes Content-Length framed messages (as LSP does), each in
# pieces with pauses between, and no newline after the last one.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sys
import time

bodies = sys.argv[1:]
out = sys.stdout.buffer
for body in bodies:
    data = os.fsencode(body)   # the bytes given, whatever the locale
    header = b"Content-Length: %d\r\n\r\n" % len(data)
    message = header + data
    # split inside the header and inside the body: the reader must wait for the rest
    for piece in (message[:10], message[10:len(header) + 2], message[len(header) + 2:]):
        out.write(piece)
        out.flush()
        time.sleep(0.02)
