#!/usr/bin/python3
"""A tiny GTK window that offers files as a drag source (text/uri-list), so the end-to-end
test can make a real OS-level file drop onto the app with xdotool.

    drag-source.py X Y FILE...   shows a 160x60 box at (X, Y); prints "ready" once mapped.
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, Gio, GLib, Gtk  # noqa: E402

x, y = int(sys.argv[1]), int(sys.argv[2])
uris = [Gio.File.new_for_path(path).get_uri() for path in sys.argv[3:]]

# A popup window is placed exactly where asked and stays above the app without a window manager.
window = Gtk.Window(type=Gtk.WindowType.POPUP)
window.set_default_size(160, 60)
window.move(x, y)
box = Gtk.EventBox()
box.add(Gtk.Label(label="drag me"))
window.add(box)

box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
box.drag_source_add_uri_targets()
box.connect("drag-data-get", lambda _w, _ctx, data, _info, _time: data.set_uris(uris))
box.connect("drag-end", lambda *_: GLib.timeout_add(200, Gtk.main_quit))


def announce(*_):
    print("ready", flush=True)
    return False


window.connect("map-event", lambda *_: GLib.timeout_add(300, announce))
window.show_all()
GLib.timeout_add_seconds(60, Gtk.main_quit)  # never outlive the test
Gtk.main()
