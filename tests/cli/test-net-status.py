#!/usr/bin/python3
'''fieldkit-ctl net status against NetworkManager and UPower mocked on a
private system bus: the states the sync scheduler relies on, and that each
change is reported while watching.'''

# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import select
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.environ['FK_SOURCE_ROOT'], 'tests', 'dbusmock'))
try:
    import dbusmock  # noqa: F401
    from fk_netmock import (NetMock, NM_CONNECTIVITY_FULL, NM_CONNECTIVITY_LIMITED,
                            NM_CONNECTIVITY_PORTAL, NM_METERED_GUESS_YES, NM_METERED_NO,
                            NM_METERED_YES)
except ImportError as e:
    print(f'1..0 # SKIP python3-dbusmock missing: {e}')
    sys.exit(0)

CTL = os.path.join(os.environ['FK_BUILD_ROOT'], 'cli', 'fieldkit-ctl')
# Only a bound against hanging; no timing is asserted.
PATIENCE = 20


def status():
    out = subprocess.run([CTL, 'net', 'status', '--json'],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


class Watch:
    '''fieldkit-ctl net status --json --watch, one JSON line per change'''

    def __init__(self):
        self.proc = subprocess.Popen([CTL, 'net', 'status', '--json', '--watch'],
                                     stdout=subprocess.PIPE)
        self.last = None
        self.pending = b''

    def expect(self, **wanted):
        deadline = time.monotonic() + PATIENCE
        while True:
            if self.last is not None and all(self.last.get(k) == v for k, v in wanted.items()):
                return self.last
            left = deadline - time.monotonic()
            if b'\n' not in self.pending:
                # Raw reads: a buffered reader would hide lines from select().
                ready, _, _ = select.select([self.proc.stdout], [], [], max(left, 0))
                if not ready:
                    raise AssertionError(f'never reported {wanted}; last state {self.last}')
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError(f'watch ended before {wanted}; last state {self.last}')
                self.pending += chunk
                continue
            line, self.pending = self.pending.split(b'\n', 1)
            self.last = json.loads(line)

    def close(self):
        self.proc.terminate()
        assert self.proc.wait() == 0


def check(state, **wanted):
    for key, value in wanted.items():
        assert state[key] == value, f'{key}: {state[key]!r} != {value!r} in {state}'


def test_no_networkmanager(net):
    '''No NetworkManager on the bus: unknown, not a crash; no UPower: on AC'''
    check(status(), network_manager=False, connectivity='unknown', link_type='none',
          metered=False, signal=-1, battery=-1, on_ac=True)


def test_states_and_changes(net):
    '''none → Wi-Fi full → metered modem with signal → limited/portal, each
    change reported while watching; NetworkManager coming and going followed'''
    watch = Watch()
    try:
        watch.expect(network_manager=False, connectivity='unknown')

        net.start_nm()
        watch.expect(network_manager=True, connectivity='none', link_type='none')
        check(status(), connectivity='none', link_type='none', signal=-1)

        wifi = net.add_device('wlan0', 'wifi')
        net.connect(wifi, 'Thôn Nà Hẩu', metered=NM_METERED_NO)
        net.set_signal(wifi, 72)
        net.set_connectivity(NM_CONNECTIVITY_FULL)
        watch.expect(connectivity='full', link_type='wifi', metered=False, signal=72)
        check(status(), connectivity='full', link_type='wifi', metered=False, signal=72)

        net.set_signal(wifi, 35)
        watch.expect(signal=35)

        modem = net.add_device('wwan0', 'modem')
        net.connect(modem, 'Viettel 4G', metered=NM_METERED_GUESS_YES)
        net.set_signal(modem, 58)
        net.disconnect(wifi)
        watch.expect(connectivity='full', link_type='modem', metered=True, signal=58)
        check(status(), connectivity='full', link_type='modem', metered=True, signal=58)

        net.set_signal(modem, 21)
        watch.expect(signal=21)

        net.set_metered(modem, NM_METERED_NO)
        watch.expect(metered=False)
        net.set_metered(modem, NM_METERED_YES)
        watch.expect(metered=True)

        net.set_connectivity(NM_CONNECTIVITY_LIMITED)
        watch.expect(connectivity='limited')
        net.set_connectivity(NM_CONNECTIVITY_PORTAL)
        watch.expect(connectivity='portal')

        net.disconnect(modem)
        watch.expect(link_type='none', signal=-1, metered=False)

        net.stop_nm()
        watch.expect(network_manager=False, connectivity='unknown', link_type='none')

        net.start_nm()
        watch.expect(network_manager=True, connectivity='none')
    finally:
        watch.close()


def test_upower(net):
    '''UPower: battery level and mains, followed while watching'''
    net.start_upower(on_battery=True, percentage=42)
    check(status(), battery=42, on_ac=False)
    watch = Watch()
    try:
        watch.expect(battery=42, on_ac=False)
        net.set_battery(False, 43.4)
        watch.expect(battery=43, on_ac=True)
        net.stop_upower()
        watch.expect(battery=-1, on_ac=True)
    finally:
        watch.close()


def test_no_system_bus(net):
    '''No system bus at all: unknown and on AC, and hw/ says why in its own
    log domain'''
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS='unix:path=/nonexistent/fk-system-bus',
               G_MESSAGES_DEBUG='fieldkit-hw')
    r = subprocess.run([CTL, 'net', 'status', '--json'], capture_output=True, text=True,
                       env=env, check=True)
    # The debug messages go to standard error: standard output stays JSON.
    check(json.loads(r.stdout), network_manager=False, connectivity='unknown', on_ac=True)
    assert 'fieldkit-hw-DEBUG' in r.stderr and 'NetworkManager' in r.stderr, r.stderr
    env['G_MESSAGES_DEBUG'] = 'fieldkit-store'
    r = subprocess.run([CTL, 'net', 'status', '--json'], capture_output=True, text=True,
                       env=env, check=True)
    assert 'DEBUG' not in r.stderr, r.stderr


TESTS = [test_no_networkmanager, test_states_and_changes, test_upower, test_no_system_bus]


def main():
    print(f'1..{len(TESTS)}')
    failed = 0
    for number, test in enumerate(TESTS, 1):
        try:
            with NetMock() as net:
                test(net)
            print(f'ok {number} {test.__name__}')
        except Exception:  # pylint: disable=broad-except
            failed += 1
            for line in traceback.format_exc().splitlines():
                print(f'# {line}')
            print(f'not ok {number} {test.__name__}')
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
