#!/usr/bin/env python3
# echo_server.py: a loopback echo server for the smelt.net specs.
#   echo_server.py tcp               listens on 127.0.0.1, a free port
#   echo_server.py unix PATH         listens on the Unix socket PATH
#   echo_server.py tls CERT KEY      TCP with TLS, the certificate and key given
# Prints "ready PORT" (0 for unix) on stdout once listening, then echoes what
# each client sends until it closes; exits when its stdin closes.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import socket
import ssl
import sys
import threading

kind = sys.argv[1]
if kind == "unix":
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sys.argv[2])
else:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
server.listen(8)
context = None
if kind == "tls":
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[2], sys.argv[3])


def serve(conn):
    try:
        if context is not None:
            conn = context.wrap_socket(conn, server_side=True)
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def accept():
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


threading.Thread(target=accept, daemon=True).start()
port = server.getsockname()[1] if kind != "unix" else 0
print("ready", port, flush=True)
sys.stdin.read()   # until the spec closes our stdin (or dies)
os._exit(0)
