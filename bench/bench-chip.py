#!/usr/bin/python3
'''bench/chip: time from the card on the reader to the identity filled
(connect, BAC, DG1, DG13, DG2, EF.SOD, passive authentication) and the
number of APDUs, through the real pcscd, vsmartcard's vpcd and the card
emulator of the tests. Prints figures and one JSON line; never fails on a
time. Needs root (pcscd).

  /usr/bin/python3 bench/bench-chip.py [RUNS]

The emulator answers at once; a real card over NFC adds its own time per
APDU (the count is printed so that it can be multiplied).'''

# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.environ.get('FK_SOURCE_ROOT') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('FK_BUILD_ROOT') or os.path.join(ROOT, 'build')
sys.path.insert(0, os.path.join(ROOT, 'tests', 'tools'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'hw'))
os.environ.setdefault('FK_SOURCE_ROOT', ROOT)
os.environ.setdefault('FK_BUILD_ROOT', BUILD)
os.environ['FIELDKIT_HW'] = 'sim'

import fk_pcscd  # noqa: E402


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    reason = fk_pcscd.cannot_run()
    if reason:
        print('bench/chip: skipped:', reason)
        return 0
    tmp = tempfile.mkdtemp(prefix='fk-bench-chip-')
    os.environ['FK_TEST_TMPDIR'] = tmp
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'card_test', os.path.join(ROOT, 'tests', 'hw', 'test-card-reader.py'))
    t = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(t)
    pki = t.make_pki()
    jpeg, jp2 = t.make_portraits()
    results = {}
    with fk_pcscd.PcscdWithVpcd(tmp) as pcscd:
        for label, portrait, extra in (('bac-jpeg', jpeg, []), ('pace-jpeg2000', jp2, ['--pace'])):
            times, apdus = [], None
            for _ in range(runs):
                emu = t.Emulator(pcscd, pki, t.CARD, portrait, extra=extra)
                try:
                    out, _ = t.card_read('--issued', t.CARD['issued'], '--csca',
                                         os.path.join(pki, 'trust'), expect_exit=0)
                finally:
                    emu.close()
                times.append(out['elapsed_ms'])
                apdus = out['apdus']
            results[label] = {'median_ms': statistics.median(times), 'min_ms': min(times),
                              'max_ms': max(times), 'apdus': apdus, 'runs': runs}
            print('%-14s card on reader → identity filled: median %.1f ms (min %.1f, max %.1f) '
                  'over %d reads, %d APDUs' % (label, results[label]['median_ms'], min(times),
                                               max(times), runs, apdus))
    print(json.dumps({'bench': 'chip', 'results': results}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
