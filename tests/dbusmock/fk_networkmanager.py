'''NetworkManager (and ModemManager's modem signal) for FieldKit's tests

A python-dbusmock template, loaded with
    python3 -m dbusmock --system --template tests/dbusmock/fk_networkmanager.py
or through fk_netmock.NetMock. libnm talks to it unchanged.

Unlike dbusmock's stock networkmanager template it has what FieldKit reads:
modem devices (with a ModemManager modem object carrying SignalQuality, on
the same connection under the name org.freedesktop.ModemManager1), the
manager's Metered, PrimaryConnection and PrimaryConnectionType, and
connectivity kept consistent with the global State.

Mock methods (interface org.freedesktop.DBus.Mock on /org/freedesktop):
  AddDevice(name, kind)                  kind: wifi, modem or ethernet -> device path
  Connect(device, id, metered)           activates a connection on it -> active path;
                                         the first active connection becomes primary
  Disconnect(device)
  SetPrimary(active)                     '/' for none
  SetConnectivity(connectivity)          NMConnectivityState 0..4, State follows
  SetMetered(device, metered)            NMMetered 0..4
  SetSignal(device, quality)             Wi-Fi: access point strength; modem: SignalQuality
'''

# SPDX-License-Identifier: GPL-3.0-or-later

import uuid

import dbus
import dbus.service

import dbusmock
from dbusmock import MOCK_IFACE

BUS_NAME = 'org.freedesktop.NetworkManager'
MAIN_OBJ = '/org/freedesktop'
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True

MANAGER_OBJ = '/org/freedesktop/NetworkManager'
MANAGER_IFACE = 'org.freedesktop.NetworkManager'
SETTINGS_OBJ = '/org/freedesktop/NetworkManager/Settings'
SETTINGS_IFACE = 'org.freedesktop.NetworkManager.Settings'
CONNECTION_IFACE = 'org.freedesktop.NetworkManager.Settings.Connection'
ACTIVE_IFACE = 'org.freedesktop.NetworkManager.Connection.Active'
DEVICE_IFACE = 'org.freedesktop.NetworkManager.Device'
WIFI_IFACE = 'org.freedesktop.NetworkManager.Device.Wireless'
MODEM_IFACE = 'org.freedesktop.NetworkManager.Device.Modem'
WIRED_IFACE = 'org.freedesktop.NetworkManager.Device.Wired'
AP_IFACE = 'org.freedesktop.NetworkManager.AccessPoint'

MM_BUS_NAME = 'org.freedesktop.ModemManager1'
MM_MODEM_IFACE = 'org.freedesktop.ModemManager1.Modem'

# NMDeviceType, NMDeviceState, NMState, NMActiveConnectionState
DEVICE_TYPES = {'ethernet': 1, 'wifi': 2, 'modem': 8}
CONNECTION_TYPES = {'ethernet': '802-3-ethernet', 'wifi': '802-11-wireless', 'modem': 'gsm'}
DEVICE_DISCONNECTED = 30
DEVICE_ACTIVATED = 100
STATE_FOR_CONNECTIVITY = {0: 0, 1: 20, 2: 60, 3: 60, 4: 70}
ACTIVE_ACTIVATED = 2

NONE = dbus.ObjectPath('/')


def load(mock, parameters):
    connectivity = dbus.UInt32(parameters.get('Connectivity', 1))
    mock.fk_counter = 0
    mock.fk_mm_name = None
    mock.AddObject(MANAGER_OBJ, MANAGER_IFACE, {
        'Devices': dbus.Array([], signature='o'),
        'AllDevices': dbus.Array([], signature='o'),
        'Checkpoints': dbus.Array([], signature='o'),
        'ActiveConnections': dbus.Array([], signature='o'),
        'PrimaryConnection': NONE,
        'PrimaryConnectionType': '',
        'ActivatingConnection': NONE,
        'Metered': dbus.UInt32(0),
        'Connectivity': connectivity,
        'ConnectivityCheckAvailable': True,
        'ConnectivityCheckEnabled': True,
        'ConnectivityCheckUri': '',
        'State': dbus.UInt32(STATE_FOR_CONNECTIVITY[int(connectivity)]),
        'NetworkingEnabled': True,
        'WirelessEnabled': True,
        'WirelessHardwareEnabled': True,
        'WwanEnabled': True,
        'WwanHardwareEnabled': True,
        'WimaxEnabled': False,
        'WimaxHardwareEnabled': False,
        'RadioFlags': dbus.UInt32(0),
        'Startup': False,
        'Version': '1.42.4',
        'Capabilities': dbus.Array([], signature='u'),
        'GlobalDnsConfiguration': dbus.Dictionary({}, signature='sv'),
    }, [
        ('GetDevices', '', 'ao', f'ret = self.Get("{MANAGER_IFACE}", "Devices")'),
        ('GetAllDevices', '', 'ao', f'ret = self.Get("{MANAGER_IFACE}", "AllDevices")'),
        ('GetPermissions', '', 'a{ss}', 'ret = {}'),
        ('CheckConnectivity', '', 'u', f'ret = self.Get("{MANAGER_IFACE}", "Connectivity")'),
        ('state', '', 'u', f'ret = self.Get("{MANAGER_IFACE}", "State")'),
    ])
    mock.object_manager_emit_added(MANAGER_OBJ)

    mock.AddObject(SETTINGS_OBJ, SETTINGS_IFACE, {
        'Connections': dbus.Array([], signature='o'),
        'Hostname': 'fieldkit',
        'CanModify': True,
    }, [
        ('ListConnections', '', 'ao', f'ret = self.Get("{SETTINGS_IFACE}", "Connections")'),
    ])
    mock.object_manager_emit_added(SETTINGS_OBJ)


def _next(self, prefix):
    self.fk_counter += 1
    return dbus.ObjectPath(f'{prefix}/{self.fk_counter}')


def _append(obj, iface, prop, path):
    values = list(obj.Get(iface, prop))
    values.append(dbus.ObjectPath(path))
    obj.Set(iface, prop, dbus.Array(values, signature='o'))


def _remove(obj, iface, prop, path):
    values = [v for v in obj.Get(iface, prop) if v != path]
    obj.Set(iface, prop, dbus.Array(values, signature='o'))


def _device_kind(device):
    kinds = {v: k for k, v in DEVICE_TYPES.items()}
    return kinds[int(device.Get(DEVICE_IFACE, 'DeviceType'))]


@dbus.service.method(MOCK_IFACE, in_signature='ss', out_signature='o')
def AddDevice(self, name, kind):
    if kind not in DEVICE_TYPES:
        raise dbus.exceptions.DBusException(f'unknown device kind {kind}',
                                            name='org.freedesktop.DBus.Mock.InvalidArgs')
    path = _next(self, '/org/freedesktop/NetworkManager/Devices')
    udi = '/sys/devices/virtual/net/' + name

    if kind == 'wifi':
        self.AddObject(path, WIFI_IFACE, {
            'HwAddress': '02:00:00:00:00:01',
            'PermHwAddress': '02:00:00:00:00:01',
            'Mode': dbus.UInt32(2),
            'Bitrate': dbus.UInt32(54000),
            'AccessPoints': dbus.Array([], signature='o'),
            'ActiveAccessPoint': NONE,
            'WirelessCapabilities': dbus.UInt32(0),
            'LastScan': dbus.Int64(-1),
        }, [
            ('GetAccessPoints', '', 'ao', f'ret = self.Get("{WIFI_IFACE}", "AccessPoints")'),
            ('GetAllAccessPoints', '', 'ao', f'ret = self.Get("{WIFI_IFACE}", "AccessPoints")'),
            ('RequestScan', 'a{sv}', '', ''),
        ])
    elif kind == 'modem':
        udi = str(_next(self, '/org/freedesktop/ModemManager1/Modem'))
        self.AddObject(path, MODEM_IFACE, {
            'ModemCapabilities': dbus.UInt32(4),
            'CurrentCapabilities': dbus.UInt32(4),
            'DeviceId': 'fieldkit-modem',
            'OperatorCode': '45204',
            'Apn': 'v-internet',
        }, [])
        self.AddObject(udi, MM_MODEM_IFACE, {
            'SignalQuality': dbus.Struct((dbus.UInt32(0), True), signature='ub'),
            'State': dbus.Int32(8),
        }, [])
        if self.fk_mm_name is None:
            # ModemManager's modem lives on this same connection.
            self.fk_mm_name = dbus.service.BusName(MM_BUS_NAME, self.bus_name.get_bus(),
                                                   allow_replacement=True, replace_existing=True)
    else:
        self.AddObject(path, WIRED_IFACE, {
            'HwAddress': '02:00:00:00:00:02',
            'PermHwAddress': '02:00:00:00:00:02',
            'Speed': dbus.UInt32(100),
            'Carrier': True,
            'S390Subchannels': dbus.Array([], signature='s'),
        }, [])

    device = dbusmock.get_object(path)
    device.AddProperties(DEVICE_IFACE, {
        'Udi': udi,
        'Path': '',
        'Interface': name,
        'IpInterface': name,
        'Driver': 'dbusmock',
        'DriverVersion': '',
        'FirmwareVersion': '',
        'Capabilities': dbus.UInt32(0),
        'State': dbus.UInt32(DEVICE_DISCONNECTED),
        'StateReason': dbus.Struct((dbus.UInt32(DEVICE_DISCONNECTED), dbus.UInt32(0)), signature='uu'),
        'ActiveConnection': NONE,
        'Ip4Config': NONE,
        'Dhcp4Config': NONE,
        'Ip6Config': NONE,
        'Dhcp6Config': NONE,
        'Managed': True,
        'Autoconnect': True,
        'FirmwareMissing': False,
        'NmPluginMissing': False,
        'DeviceType': dbus.UInt32(DEVICE_TYPES[kind]),
        'AvailableConnections': dbus.Array([], signature='o'),
        'PhysicalPortId': '',
        'Mtu': dbus.UInt32(1500),
        'Metered': dbus.UInt32(0),
        'Real': True,
        'Ip4Connectivity': dbus.UInt32(0),
        'Ip6Connectivity': dbus.UInt32(0),
        'InterfaceFlags': dbus.UInt32(0),
        'HwAddress': '',
        'Ports': dbus.Array([], signature='o'),
    })
    self.object_manager_emit_added(path)

    manager = dbusmock.get_object(MANAGER_OBJ)
    _append(manager, MANAGER_IFACE, 'Devices', path)
    _append(manager, MANAGER_IFACE, 'AllDevices', path)
    manager.EmitSignal(MANAGER_IFACE, 'DeviceAdded', 'o', [path])
    return path


def _set_primary(self, active):
    manager = dbusmock.get_object(MANAGER_OBJ)
    conn_type = ''
    metered = dbus.UInt32(0)
    if active != NONE:
        active_obj = dbusmock.get_object(active)
        conn_type = active_obj.Get(ACTIVE_IFACE, 'Type')
        device = dbusmock.get_object(active_obj.Get(ACTIVE_IFACE, 'Devices')[0])
        metered = device.Get(DEVICE_IFACE, 'Metered')
    manager.Set(MANAGER_IFACE, 'PrimaryConnectionType', conn_type)
    manager.Set(MANAGER_IFACE, 'Metered', dbus.UInt32(metered))
    manager.Set(MANAGER_IFACE, 'PrimaryConnection', dbus.ObjectPath(active))


@dbus.service.method(MOCK_IFACE, in_signature='osu', out_signature='o')
def Connect(self, device_path, conn_id, metered):
    device = dbusmock.get_object(device_path)
    kind = _device_kind(device)
    conn_type = CONNECTION_TYPES[kind]
    conn_uuid = str(uuid.uuid4())

    settings = {'connection': {'id': conn_id, 'uuid': conn_uuid, 'type': conn_type,
                               'interface-name': device.Get(DEVICE_IFACE, 'Interface')}}
    specific = NONE
    if kind == 'wifi':
        settings['802-11-wireless'] = {'ssid': dbus.ByteArray(conn_id.encode()),
                                       'mode': 'infrastructure'}
        specific = _next(self, '/org/freedesktop/NetworkManager/AccessPoint')
        self.AddObject(specific, AP_IFACE, {
            'Flags': dbus.UInt32(0),
            'WpaFlags': dbus.UInt32(0),
            'RsnFlags': dbus.UInt32(0),
            'Ssid': dbus.ByteArray(conn_id.encode()),
            'Frequency': dbus.UInt32(2437),
            'HwAddress': '02:00:00:00:01:01',
            'Mode': dbus.UInt32(2),
            'MaxBitrate': dbus.UInt32(54000),
            'Strength': dbus.Byte(0),
            'LastSeen': dbus.Int32(1),
        }, [])
        self.object_manager_emit_added(specific)
        _append(device, WIFI_IFACE, 'AccessPoints', specific)
        device.EmitSignal(WIFI_IFACE, 'AccessPointAdded', 'o', [specific])
    elif kind == 'modem':
        settings['gsm'] = {'apn': 'v-internet'}
    else:
        settings['802-3-ethernet'] = {}

    conn_path = _next(self, '/org/freedesktop/NetworkManager/Settings')
    self.AddObject(conn_path, CONNECTION_IFACE, {
        'Unsaved': False,
        'Flags': dbus.UInt32(0),
        'Filename': '',
    }, [
        ('GetSettings', '', 'a{sa{sv}}', 'ret = self.fk_settings'),
        ('GetSecrets', 's', 'a{sa{sv}}', 'ret = {}'),
    ])
    dbusmock.get_object(conn_path).fk_settings = settings
    self.object_manager_emit_added(conn_path)
    settings_obj = dbusmock.get_object(SETTINGS_OBJ)
    _append(settings_obj, SETTINGS_IFACE, 'Connections', conn_path)
    settings_obj.EmitSignal(SETTINGS_IFACE, 'NewConnection', 'o', [conn_path])

    active = _next(self, '/org/freedesktop/NetworkManager/ActiveConnection')
    self.AddObject(active, ACTIVE_IFACE, {
        'Connection': conn_path,
        'SpecificObject': specific,
        'Id': conn_id,
        'Uuid': conn_uuid,
        'Type': conn_type,
        'Devices': dbus.Array([device_path], signature='o'),
        'State': dbus.UInt32(ACTIVE_ACTIVATED),
        'StateFlags': dbus.UInt32(0),
        'Default': True,
        'Ip4Config': NONE,
        'Dhcp4Config': NONE,
        'Default6': False,
        'Ip6Config': NONE,
        'Dhcp6Config': NONE,
        'Vpn': False,
        'Controller': NONE,
        'Master': NONE,
    }, [])
    self.object_manager_emit_added(active)

    device.Set(DEVICE_IFACE, 'Metered', dbus.UInt32(metered))
    if kind == 'wifi':
        device.Set(WIFI_IFACE, 'ActiveAccessPoint', specific)
    device.Set(DEVICE_IFACE, 'ActiveConnection', active)
    device.Set(DEVICE_IFACE, 'State', dbus.UInt32(DEVICE_ACTIVATED))
    device.EmitSignal(DEVICE_IFACE, 'StateChanged', 'uuu',
                      [dbus.UInt32(DEVICE_ACTIVATED), dbus.UInt32(DEVICE_DISCONNECTED), dbus.UInt32(0)])

    manager = dbusmock.get_object(MANAGER_OBJ)
    _append(manager, MANAGER_IFACE, 'ActiveConnections', active)
    if manager.Get(MANAGER_IFACE, 'PrimaryConnection') == NONE:
        _set_primary(self, active)
    return active


@dbus.service.method(MOCK_IFACE, in_signature='o', out_signature='')
def Disconnect(self, device_path):
    device = dbusmock.get_object(device_path)
    active = device.Get(DEVICE_IFACE, 'ActiveConnection')
    if active == NONE:
        return
    manager = dbusmock.get_object(MANAGER_OBJ)
    if manager.Get(MANAGER_IFACE, 'PrimaryConnection') == active:
        others = [a for a in manager.Get(MANAGER_IFACE, 'ActiveConnections') if a != active]
        _set_primary(self, others[0] if others else NONE)
    _remove(manager, MANAGER_IFACE, 'ActiveConnections', active)

    device.Set(DEVICE_IFACE, 'ActiveConnection', NONE)
    device.Set(DEVICE_IFACE, 'State', dbus.UInt32(DEVICE_DISCONNECTED))
    device.Set(DEVICE_IFACE, 'Metered', dbus.UInt32(0))
    device.EmitSignal(DEVICE_IFACE, 'StateChanged', 'uuu',
                      [dbus.UInt32(DEVICE_DISCONNECTED), dbus.UInt32(DEVICE_ACTIVATED), dbus.UInt32(0)])
    if _device_kind(device) == 'wifi':
        ap = device.Get(WIFI_IFACE, 'ActiveAccessPoint')
        device.Set(WIFI_IFACE, 'ActiveAccessPoint', NONE)
        _remove(device, WIFI_IFACE, 'AccessPoints', ap)
        device.EmitSignal(WIFI_IFACE, 'AccessPointRemoved', 'o', [ap])
        self.object_manager_emit_removed(ap)
        self.RemoveObject(ap)

    conn_path = dbusmock.get_object(active).Get(ACTIVE_IFACE, 'Connection')
    self.object_manager_emit_removed(active)
    self.RemoveObject(active)
    settings_obj = dbusmock.get_object(SETTINGS_OBJ)
    _remove(settings_obj, SETTINGS_IFACE, 'Connections', conn_path)
    dbusmock.get_object(conn_path).EmitSignal(CONNECTION_IFACE, 'Removed', '', [])
    self.object_manager_emit_removed(conn_path)
    self.RemoveObject(conn_path)


@dbus.service.method(MOCK_IFACE, in_signature='o', out_signature='')
def SetPrimary(self, active):
    _set_primary(self, active)


@dbus.service.method(MOCK_IFACE, in_signature='u', out_signature='')
def SetConnectivity(self, connectivity):
    manager = dbusmock.get_object(MANAGER_OBJ)
    state = dbus.UInt32(STATE_FOR_CONNECTIVITY[int(connectivity)])
    manager.Set(MANAGER_IFACE, 'Connectivity', dbus.UInt32(connectivity))
    manager.Set(MANAGER_IFACE, 'State', state)
    manager.EmitSignal(MANAGER_IFACE, 'StateChanged', 'u', [state])


@dbus.service.method(MOCK_IFACE, in_signature='ou', out_signature='')
def SetMetered(self, device_path, metered):
    device = dbusmock.get_object(device_path)
    device.Set(DEVICE_IFACE, 'Metered', dbus.UInt32(metered))
    manager = dbusmock.get_object(MANAGER_OBJ)
    primary = manager.Get(MANAGER_IFACE, 'PrimaryConnection')
    if primary != NONE and device_path in dbusmock.get_object(primary).Get(ACTIVE_IFACE, 'Devices'):
        manager.Set(MANAGER_IFACE, 'Metered', dbus.UInt32(metered))


@dbus.service.method(MOCK_IFACE, in_signature='ou', out_signature='')
def SetSignal(self, device_path, quality):
    device = dbusmock.get_object(device_path)
    kind = _device_kind(device)
    if kind == 'wifi':
        ap = device.Get(WIFI_IFACE, 'ActiveAccessPoint')
        if ap != NONE:
            dbusmock.get_object(ap).Set(AP_IFACE, 'Strength', dbus.Byte(quality))
    elif kind == 'modem':
        modem = dbusmock.get_object(device.Get(DEVICE_IFACE, 'Udi'))
        modem.Set(MM_MODEM_IFACE, 'SignalQuality',
                  dbus.Struct((dbus.UInt32(quality), True), signature='ub'))
