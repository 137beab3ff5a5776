#!/usr/bin/env python3
# tests/lua/lsp/fake_server.py: a language server that does what a test asks, and tells what it saw
# SPDX-License-Identifier: GPL-3.0-or-later
#
# It keeps its own copy of each document from didOpen and the incremental
# didChange ranges (in the encoding it agreed to), so a test can ask
# "fake/text" whether the client's changes add up to the buffer's text.
# A line holding ERROR is published as a diagnostic. "fake/slow" answers
# only when cancelled; "fake/crash" exits with status 3; "fake/progress"
# reports work; FAKE_ENCODING forces an encoding (else it takes utf-8 when
# offered).
import json
import os
import sys
import time

inp = sys.stdin.buffer
out = sys.stdout.buffer
docs = {}
encoding = "utf-16"
cancelled = []
log = []


def send(msg):
    msg["jsonrpc"] = "2.0"
    body = json.dumps(msg).encode()
    out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    out.flush()


def read():
    length = None
    while True:
        line = inp.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(inp.read(length))


def units(s):
    if encoding == "utf-8":
        return len(s.encode())
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def offset(text, pos):
    lines = text.split("\n")
    before = sum(len(l) + 1 for l in lines[: pos["line"]])
    line = lines[pos["line"]] if pos["line"] < len(lines) else ""
    n, i = 0, 0
    while i < len(line) and n < pos["character"]:
        n += units(line[i])
        i += 1
    return before + i


def diagnostics(uri):
    items = []
    for i, line in enumerate(docs[uri].split("\n")):
        col = line.find("ERROR")
        if col >= 0:
            start = units(line[:col])
            items.append({"range": {"start": {"line": i, "character": start},
                                    "end": {"line": i, "character": start + units("ERROR")}},
                          "severity": 1, "message": "ERROR is an error", "source": "fake"})
    send({"method": "textDocument/publishDiagnostics", "params": {"uri": uri, "diagnostics": items}})


def word_at(text, pos):
    o = offset(text, pos)
    a = o
    while a > 0 and (text[a - 1].isalnum() or text[a - 1] == "_"):
        a -= 1
    b = o
    while b < len(text) and (text[b].isalnum() or text[b] == "_"):
        b += 1
    return text[a:b]


def position_of(text, o):
    before = text[:o]
    line = before.count("\n")
    col = units(before[before.rfind("\n") + 1:])
    return {"line": line, "character": col}


def main():
    global encoding
    while True:
        msg = read()
        if msg is None:
            return
        method, params, mid = msg.get("method"), msg.get("params") or {}, msg.get("id")
        log.append(method)
        if method == "initialize":
            offered = params.get("capabilities", {}).get("general", {}).get("positionEncodings", [])
            encoding = os.environ.get("FAKE_ENCODING") or ("utf-8" if "utf-8" in offered else "utf-16")
            send({"id": mid, "result": {"capabilities": {
                "positionEncoding": encoding,
                "textDocumentSync": {"openClose": True, "change": 2, "save": {"includeText": False}},
                "hoverProvider": True, "definitionProvider": True, "renameProvider": True,
                "codeActionProvider": True,
                "documentFormattingProvider": True,
                "completionProvider": {"triggerCharacters": ["."], "resolveProvider": True}},
                "serverInfo": {"name": "fake", "version": "1"}}})
        elif method == "textDocument/didOpen":
            td = params["textDocument"]
            docs[td["uri"]] = td["text"]
            diagnostics(td["uri"])
        elif method == "textDocument/didChange":
            uri = params["textDocument"]["uri"]
            for ch in params["contentChanges"]:
                text = docs[uri]
                if "range" in ch:
                    a = offset(text, ch["range"]["start"])
                    b = offset(text, ch["range"]["end"])
                    docs[uri] = text[:a] + ch["text"] + text[b:]
                else:
                    docs[uri] = ch["text"]
            diagnostics(uri)
        elif method == "textDocument/didClose":
            docs.pop(params["textDocument"]["uri"], None)
        elif method == "fake/text":
            send({"id": mid, "result": docs.get(params["uri"])})
        elif method == "fake/log":
            send({"id": mid, "result": log})
        elif method == "fake/cancelled":
            send({"id": mid, "result": cancelled})
        elif method == "$/cancelRequest":
            cancelled.append(params["id"])
            send({"id": params["id"], "error": {"code": -32800, "message": "cancelled"}})
        elif method == "fake/slow":
            pass   # answered by $/cancelRequest
        elif method == "fake/crash":
            sys.stderr.write("fake: crashing as asked\n")
            sys.stderr.flush()
            os._exit(3)
        elif method == "fake/progress":
            token = "work"
            send({"id": 99, "method": "window/workDoneProgress/create", "params": {"token": token}})
            send({"method": "$/progress", "params": {"token": token, "value": {
                "kind": "begin", "title": "indexing", "percentage": 0}}})
            send({"method": "$/progress", "params": {"token": token, "value": {
                "kind": "report", "message": "3/4 files", "percentage": 75}}})
            send({"id": mid, "result": True})
        elif method == "fake/progress_end":
            send({"method": "$/progress", "params": {"token": "work", "value": {"kind": "end"}}})
            send({"id": mid, "result": True})
        elif method == "textDocument/hover":
            uri = params["textDocument"]["uri"]
            word = word_at(docs[uri], params["position"])
            send({"id": mid, "result": {"contents": {"kind": "markdown", "value": "`%s`: a word" % word}}})
        elif method == "textDocument/completion":
            send({"id": mid, "result": {"isIncomplete": False, "items": [
                {"label": "alpha", "kind": 3, "detail": "fn alpha()"},
                {"label": "beta", "kind": 6}]}})
        elif method == "completionItem/resolve":
            item = dict(params)
            item["documentation"] = {"kind": "markdown", "value": "`%s`: resolved by the server" % params["label"]}
            item["detail"] = item.get("detail") or "resolved " + params["label"]
            send({"id": mid, "result": item})
        elif method == "textDocument/definition":
            uri = params["textDocument"]["uri"]
            word = word_at(docs[uri], params["position"])
            o = docs[uri].find(word)
            p = position_of(docs[uri], o)
            send({"id": mid, "result": [{"uri": uri, "range": {"start": p, "end": {
                "line": p["line"], "character": p["character"] + units(word)}}}]})
        elif method == "textDocument/rename":
            # every document open here that holds the word, as a project-wide rename
            word = word_at(docs[params["textDocument"]["uri"]], params["position"])
            changes = {}
            for uri, text in docs.items():
                edits, o = [], text.find(word)
                while o >= 0 and word:
                    edits.append({"range": {"start": position_of(text, o), "end": position_of(text, o + len(word))},
                                  "newText": params["newName"]})
                    o = text.find(word, o + len(word))
                if edits:
                    changes[uri] = edits
            send({"id": mid, "result": {"changes": changes}})
        elif method == "textDocument/codeAction":
            diags = params["context"]["diagnostics"]
            actions = []
            if diags:
                uri = params["textDocument"]["uri"]
                actions.append({"title": "replace ERROR by 0", "kind": "quickfix", "edit": {"changes": {uri: [
                    {"range": diags[0]["range"], "newText": "0"}]}}})
            send({"id": mid, "result": actions})
        elif method == "textDocument/formatting":
            uri = params["textDocument"]["uri"]
            lines = docs[uri].split("\n")
            edits = []
            for i, line in enumerate(lines):
                stripped = line.rstrip(" ")
                if stripped != line:
                    edits.append({"range": {"start": {"line": i, "character": units(stripped)},
                                            "end": {"line": i, "character": units(line)}}, "newText": ""})
            send({"id": mid, "result": edits})
        elif method == "shutdown":
            send({"id": mid, "result": None})
        elif method == "exit":
            if os.environ.get("FAKE_LOG"):
                with open(os.environ["FAKE_LOG"], "w") as f:
                    f.write("\n".join(m or "" for m in log) + "\n")
            return
        elif mid is not None and method is not None:
            send({"id": mid, "error": {"code": -32601, "message": "no " + method}})


main()
