#!/usr/bin/python3
# drag-source.py: a window titled "drag source" whose label drags the files named on the
# command line as text/uri-list, as GNOME Files does, until it is killed; for tests/gui/drop_spec.lua
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import gi

gi.require_version("Gdk", "4.0")
gi.require_version("Gtk", "4.0")
from gi.repository import Gdk, Gio, GLib, Gtk  # noqa: E402

uris = "".join(Gio.File.new_for_path(p).get_uri() + "\r\n" for p in sys.argv[1:])


def on_activate(app):
    win = Gtk.ApplicationWindow(application=app, title="drag source")
    win.set_default_size(200, 200)
    label = Gtk.Label(label="drag me")
    label.set_hexpand(True)
    label.set_vexpand(True)
    source = Gtk.DragSource(actions=Gdk.DragAction.COPY)
    source.connect("prepare", lambda *_: Gdk.ContentProvider.new_for_bytes(
        "text/uri-list", GLib.Bytes.new(uris.encode())))
    label.add_controller(source)
    win.set_child(label)
    win.present()


app = Gtk.Application(application_id=None, flags=Gio.ApplicationFlags.NON_UNIQUE)
app.connect("activate", on_activate)
sys.exit(app.run([sys.argv[0]]))
