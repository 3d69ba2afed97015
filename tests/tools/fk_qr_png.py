# The QR code that `fieldkit-server device invite` draws on a terminal
# (Unicode half blocks), back into a PNG a camera simulation or
# `fieldkit-ctl qr decode` can read.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import struct
import zlib

BLOCKS = set(" █▀▄")


def terminal_qr_lines(output):
    """The lines of @output that draw the code, with the blank quiet-zone
    lines around it."""
    lines = output.splitlines()
    drawn = [i for i, l in enumerate(lines) if l.strip() and set(l) <= BLOCKS]
    first, last = drawn[0], drawn[-1]
    while first > 0 and lines[first - 1] and set(lines[first - 1]) == {" "}:
        first -= 1
    while last + 1 < len(lines) and lines[last + 1] and set(lines[last + 1]) == {" "}:
        last += 1
    return lines[first:last + 1]


def write_png(lines, path, scale=6, margin=0):
    """Each module @scale pixels, dark on white, @margin white pixels around."""
    rows = []
    for line in lines:
        top, bottom = [], []
        for ch in line:
            top.append(ch in "█▀")
            bottom.append(ch in "█▄")
        rows += [top, bottom]
    modules = max(len(r) for r in rows)
    width = modules * scale + 2 * margin
    raw = bytearray()
    blank = b"\0" + bytes([255]) * width
    for _ in range(margin):
        raw += blank
    for r in rows:
        pixels = bytearray([255]) * margin
        for x in range(modules):
            dark = x < len(r) and r[x]
            pixels += bytes([0 if dark else 255]) * scale
        pixels += bytearray([255]) * margin
        for _ in range(scale):
            raw += b"\0" + pixels
    for _ in range(margin):
        raw += blank
    height = len(rows) * scale + 2 * margin

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def svg_qr_lines(svg):
    """The modules of the SVG QR code the office draws (one "M x y h1v1h-1z"
    square per dark module) as half-block lines, for write_png()."""
    import re
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    dark = set((int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg))
    lines = []
    for y in range(0, size, 2):
        line = ""
        for x in range(size):
            top, bottom = (x, y) in dark, (x, y + 1) in dark
            line += "█" if top and bottom else "▀" if top else "▄" if bottom else " "
        lines.append(line)
    return lines


def encode_lines(text):
    """Any @text as a QR code (libqrencode, as the server draws its codes),
    in half-block lines with a four-module quiet zone, for write_png(): a
    code changed by hand, shown to the camera."""
    import ctypes

    class QRcode(ctypes.Structure):
        _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int),
                    ("data", ctypes.POINTER(ctypes.c_ubyte))]

    lib = ctypes.CDLL("libqrencode.so.4")
    lib.QRcode_encodeData.restype = ctypes.POINTER(QRcode)
    lib.QRcode_encodeData.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.QRcode_free.argtypes = [ctypes.POINTER(QRcode)]
    data = text.encode("utf-8")
    qr = lib.QRcode_encodeData(len(data), data, 0, 1)  # QR_ECLEVEL_M
    if not qr:
        raise ValueError("libqrencode could not encode %d bytes" % len(data))
    try:
        width = qr.contents.width
        modules = [[bool(qr.contents.data[y * width + x] & 1) for x in range(width)]
                   for y in range(width)]
    finally:
        lib.QRcode_free(qr)
    quiet = 4
    size = width + 2 * quiet

    def dark(x, y):
        x, y = x - quiet, y - quiet
        return 0 <= x < width and 0 <= y < width and modules[y][x]
    lines = []
    for y in range(0, size, 2):
        line = ""
        for x in range(size):
            top, bottom = dark(x, y), dark(x, y + 1)
            line += "█" if top and bottom else "▀" if top else "▄" if bottom else " "
        lines.append(line)
    return lines
