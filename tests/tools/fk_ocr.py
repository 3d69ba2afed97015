"""Reading a printed receipt as a person would: tesseract on a page
rendered at a thermal head's 203 dpi.

The dossier number is set in large monospace type. Tesseract's Vietnamese
model confuses its 8s and 6s; the English one, told which characters a
number may hold, now and then drops a 0 beside a letter. One character
missed, added or changed passes; an illegible or missing number does not.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import subprocess


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def render_thermal(pdf, stem):
    """The PDF's first page in black and white at 203 dpi: returns STEM.pbm."""
    subprocess.run(["pdftoppm", "-r", "203", "-mono", "-singlefile", pdf, stem], check=True)
    return stem + ".pbm"


def text(pbm):
    """The page's Vietnamese text, its whitespace folded to single spaces."""
    out = subprocess.run(["tesseract", pbm, "-", "-l", "vie"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def _hex_words(pbm):
    """(left, top, width, height, text) of the words read as upper-case
    hexadecimal, as dossier numbers are."""
    tsv = subprocess.run(["tesseract", pbm, "-", "-l", "eng", "--psm", "11",
                          "-c", "tessedit_char_whitelist=0123456789ABCDEF", "tsv"],
                         capture_output=True, text=True, check=True).stdout
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
            words.append(tuple(int(c) for c in cells[6:10]) + (cells[11].strip(),))
    return words


def number_words(pbm):
    """The words read as hexadecimal, and each two of them that stand side
    by side on one line joined: in large type, sparse-text reading now and
    then splits a number in two ("E15BC" "A5A")."""
    words = _hex_words(pbm)
    out = [w[4] for w in words]
    for a in words:
        for b in words:
            height = max(a[3], b[3])
            gap = b[0] - (a[0] + a[2])
            same_line = abs((a[1] + a[3] / 2) - (b[1] + b[3] / 2)) < height / 2
            if a is not b and same_line and -height / 4 <= gap <= 1.5 * height:
                out.append(a[4] + b[4])
    return out


def number_legible(pbm, number):
    """Whether NUMBER is on the page, one character's slip allowed."""
    return any(edit_distance(word, number) <= 1 for word in number_words(pbm))
