'''A private system bus with NetworkManager (and optionally UPower) mocked

Used by the hw tests and meant for any test that needs the network state:

    with NetMock() as net:              # exports DBUS_SYSTEM_BUS_ADDRESS
        net.start_nm()
        wifi = net.add_device('wlan0', 'wifi')
        net.connect(wifi, 'Thôn 3', metered=NM_METERED_NO)
        net.set_signal(wifi, 72)
        net.set_connectivity(NM_CONNECTIVITY_FULL)
        ...                              # run the program under test
        net.stop_nm()                    # NetworkManager goes away

or from a shell / a C test, which then drives the mock over D-Bus
(org.freedesktop.DBus.Mock on org.freedesktop.NetworkManager /org/freedesktop,
methods as in fk_networkmanager.py):

    /usr/bin/python3 tests/dbusmock/fk_netmock.py [--upower] [--no-nm] -- COMMAND ARGS…
'''

# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import sys
import tempfile

import dbus
import dbusmock

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fk_networkmanager.py')

NM_CONNECTIVITY_UNKNOWN = 0
NM_CONNECTIVITY_NONE = 1
NM_CONNECTIVITY_PORTAL = 2
NM_CONNECTIVITY_LIMITED = 3
NM_CONNECTIVITY_FULL = 4

NM_METERED_UNKNOWN = 0
NM_METERED_YES = 1
NM_METERED_NO = 2
NM_METERED_GUESS_YES = 3
NM_METERED_GUESS_NO = 4

BUS_CONFIG = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <keep_umask/>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
'''


class NetMock:
    '''Starts a private system bus; NetworkManager and UPower mocks on demand.'''

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='fk-netmock-')
        conf = os.path.join(self.dir, 'system.conf')
        with open(conf, 'w', encoding='utf-8') as f:
            f.write(BUS_CONFIG.format(dir=self.dir))
        self.bus_pid, self.address = dbusmock.DBusTestCase.start_dbus(conf=conf)
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = self.address
        self.nm = None
        self.nm_obj = None
        self.upower = None
        self.upower_obj = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.stop_nm()
        self.stop_upower()
        dbusmock.DBusTestCase.stop_dbus(self.bus_pid)
        shutil.rmtree(self.dir, ignore_errors=True)

    # NetworkManager

    def start_nm(self, connectivity=NM_CONNECTIVITY_NONE):
        self.nm, self.nm_obj = dbusmock.DBusTestCase.spawn_server_template(
            TEMPLATE, {'Connectivity': dbus.UInt32(connectivity)}, stdout=subprocess.DEVNULL,
            system_bus=True)

    def stop_nm(self):
        if self.nm is not None:
            self.nm.terminate()
            self.nm.wait()
        self.nm = None
        self.nm_obj = None

    def _call(self, method, *args):
        return getattr(self.nm_obj, method)(*args, dbus_interface=dbusmock.MOCK_IFACE)

    def add_device(self, name, kind):
        '''kind: wifi, modem or ethernet; returns the device path'''
        return str(self._call('AddDevice', name, kind))

    def connect(self, device, conn_id, metered=NM_METERED_UNKNOWN):
        return str(self._call('Connect', dbus.ObjectPath(device), conn_id, dbus.UInt32(metered)))

    def disconnect(self, device):
        self._call('Disconnect', dbus.ObjectPath(device))

    def set_primary(self, active):
        self._call('SetPrimary', dbus.ObjectPath(active or '/'))

    def set_connectivity(self, connectivity):
        self._call('SetConnectivity', dbus.UInt32(connectivity))

    def set_metered(self, device, metered):
        self._call('SetMetered', dbus.ObjectPath(device), dbus.UInt32(metered))

    def set_signal(self, device, quality):
        self._call('SetSignal', dbus.ObjectPath(device), dbus.UInt32(quality))

    # UPower (dbusmock's own template)

    def start_upower(self, on_battery=False, percentage=None):
        '''percentage None: no battery at all'''
        self.upower, self.upower_obj = dbusmock.DBusTestCase.spawn_server_template(
            'upower', {'OnBattery': on_battery, 'DaemonVersion': '0.99'},
            stdout=subprocess.DEVNULL, system_bus=True)
        if percentage is not None:
            self.set_battery(on_battery, percentage)

    def set_battery(self, on_battery, percentage):
        # UP_DEVICE_KIND_BATTERY = 2, UP_DEVICE_STATE_DISCHARGING = 2, CHARGING = 1
        state = 2 if on_battery else 1
        self.upower_obj.SetupDisplayDevice(2, state, float(percentage), 50.0, 100.0, 10.0, 3600, 0,
                                           True, 'battery-good-symbolic', 1,
                                           dbus_interface=dbusmock.MOCK_IFACE)
        self.upower_obj.Set('org.freedesktop.UPower', 'OnBattery', dbus.Boolean(on_battery),
                   dbus_interface=dbus.PROPERTIES_IFACE)

    def stop_upower(self):
        if self.upower is not None:
            self.upower.terminate()
            self.upower.wait()
        self.upower = None
        self.upower_obj = None


def main(argv):
    args = argv[1:]
    if '--' not in args:
        print(__doc__, file=sys.stderr)
        return 2
    options, command = args[:args.index('--')], args[args.index('--') + 1:]
    with NetMock() as net:
        if '--no-nm' not in options:
            net.start_nm()
        if '--upower' in options:
            net.start_upower()
        return subprocess.call(command)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
