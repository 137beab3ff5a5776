#!/usr/bin/env python3
# test_sink.py: Python, through the typelib, registers async functions and resolves Lua tasks
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Prints TAP. Needs GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the build
# tree, and SMELT_RUNTIME_DIR at lua/.
import sys
import threading

import gi
gi.require_version("Smelt", "1.0")
gi.require_version("GIRepository", "2.0")
from gi.repository import GIRepository, GLib, Gio, Smelt  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


def run_lua(host, code, timeout_s=20):
    """Runs code as a task and iterates the loop until no task is live."""
    loop = GLib.MainLoop()
    handler = host.connect("idle", lambda *_: loop.quit())
    host.run_string(code, "=test")
    guard = GLib.timeout_add_seconds(timeout_s, lambda: (loop.quit(), False)[1])
    if host.get_n_tasks() > 0:
        loop.run()
    GLib.source_remove(guard)
    host.disconnect(handler)


def lua_global(host, name):
    # read a value back by making Lua hand it to Python through the sink
    box = {}

    def grab(h, task_id, args, cancellable, *user_data):
        box["value"] = args.unpack()
        h.resume(task_id, None)
    host.register_async("grab_" + name, grab)
    run_lua(host, "smelt.ext.grab_%s(%s)" % (name, name))
    return box.get("value", [None])[0]


def check_error_domain(host):
    # the typelib pairs SmeltHostError with its quark: bindings map a GError of
    # that domain to the enum (GJS: `e.matches(Smelt.HostError, ...)`)
    info = GIRepository.Repository.get_default().find_by_name("Smelt", "HostError")
    domain = info and GIRepository.enum_info_get_error_domain(info)
    check("HostError has its error domain in the typelib", domain == "smelt-host-error-quark", repr(domain))
    check("HostError is a registered enum type", Smelt.HostError.__gtype__.name == "SmeltHostError",
          Smelt.HostError.__gtype__.name)
    try:
        host.run_file("/nonexistent/smelt-gi-test.lua", None)
        check("a missing file raises a GLib.Error of the HostError domain", False, "no error")
    except GLib.Error as e:
        check("a missing file raises a GLib.Error of the HostError domain",
              e.domain == domain and Smelt.HostError(e.code) == Smelt.HostError.LOAD,
              "%s %d %s" % (e.domain, e.code, e.message))


def main():
    host = Smelt.Host.new(None)
    host.load_runtime()
    errors = []
    host.connect("task-error", lambda h, i, n, m, tb: errors.append(tb))
    cancelled = {"flag": False}

    def from_timeout(h, task_id, args, cancellable, *user_data):
        n = args.unpack()[0]
        GLib.timeout_add(10, lambda: (h.resume(task_id, GLib.Variant("x", n * 2)), False)[1])

    def from_thread(h, task_id, args, cancellable, *user_data):
        word = args.unpack()[0]

        def work():
            ok = h.resume(task_id, GLib.Variant("a{sv}", {"word": GLib.Variant("s", word.upper())}))
            check("resume from a Python thread says the id was live", ok)
        threading.Thread(target=work).start()

    def rejects(h, task_id, args, cancellable, *user_data):
        h.reject(task_id, GLib.Error.new_literal(Gio.io_error_quark(), "no such thing", int(Gio.IOErrorEnum.NOT_FOUND)))

    never_ids = []

    def never(h, task_id, args, cancellable, *user_data):
        never_ids.append(task_id)
        cancellable.connect(lambda *_: cancelled.__setitem__("flag", True))

    def too_deep(h, task_id, args, cancellable, *user_data):
        v = GLib.Variant("i", 1)
        for _ in range(70):
            v = GLib.Variant("v", v)
        h.resume(task_id, v)

    host.register_async("py_double", from_timeout)
    host.register_async("py_upper", from_thread)
    host.register_async("py_reject", rejects)
    host.register_async("py_never", never)
    host.register_async("py_too_deep", too_deep)

    run_lua(host, """
        A = smelt.ext.py_double(21)
        B = smelt.ext.py_upper("smelt").word
        local ok, e = pcall(smelt.ext.py_reject)
        E = ok and "no error" or (e.domain .. "/" .. e.code .. "/" .. e.message)
        local r = smelt.task.all(
          function() return smelt.ext.py_double(5) end,
          function() return smelt.ext.py_upper("all").word end)
        ALL = r[1] .. "," .. r[2]
        local v, why = smelt.task.timeout(50, function() return smelt.ext.py_never() end)
        T = why
        local ok2, e2 = pcall(smelt.ext.py_too_deep)
        D = ok2 and "no error" or e2.message
    """)
    check("a function completing from a GLib timeout", lua_global(host, "A") == 42)
    check("a function completing from a Python thread", lua_global(host, "B") == "SMELT")
    check("a rejection raises { domain, code, message }", lua_global(host, "E") == "g-io-error-quark/1/no such thing",
          str(lua_global(host, "E")))
    check("inside task.all", lua_global(host, "ALL") == "10,ALL", str(lua_global(host, "ALL")))
    check("a Lua timeout returns 'timeout'", lua_global(host, "T") == "timeout")
    check("a Lua timeout cancels the Python side's GCancellable", cancelled["flag"])
    check("a value nested too deeply rejects the task instead",
          "nested deeper than 64 levels" in str(lua_global(host, "D")), str(lua_global(host, "D")))
    check("a stale id is ignored", host.resume(999999, None) is False)
    late = {}
    th = threading.Thread(target=lambda: late.__setitem__("ok", host.resume(never_ids[0], None)))
    th.start()
    th.join()
    check("resuming a cancelled task's id from a thread says it was not live", late.get("ok") is False)
    alloc_id = host.alloc()
    check("alloc gives a positive id", alloc_id > 0)
    check("resume of a C id says it was live, once", host.resume(alloc_id, None) and not host.resume(alloc_id, None))
    check("no uncaught errors", not errors, "\n".join(errors))

    check_error_domain(host)

    print("1..%d" % len(results))
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            for line in detail.splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
