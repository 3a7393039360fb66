#!/usr/bin/env bash
# The lab VM's isolated libvirt network: no <forward> element (no route off this machine), DHCP for the VM,
# DNS off (the box needs none). `ensure` defines and starts it when needed (run by the Vagrantfile's trigger
# before `vagrant up`, and by `rootlab vm`); `remove` stops and undefines it (`rootlab vm destroy`).
# vagrant-libvirt finds it by name and address (provision/libvirt_settings.rb) and keeps it on destroy.
set -euo pipefail
NAME=rootlab-vm
BRIDGE=rootlab-vm0
PREFIX=10.249.117
# ROOTLAB_LIBVIRT_URI: as in rootlab (src/vm/libvirt-host.ts); tests point it at a libvirt that does not exist.
VIRSH=(virsh --connect "${ROOTLAB_LIBVIRT_URI:-qemu:///system}" -q)

exists() { "${VIRSH[@]}" net-info "$NAME" >/dev/null 2>&1; }
active() { [[ $("${VIRSH[@]}" net-info "$NAME" 2>/dev/null | awk '/^Active:/ {print $2}') == yes ]]; }

case ${1:-} in
  ensure)
    command -v virsh >/dev/null || { echo "rootlab: virsh not found: install libvirt-clients (and libvirt-daemon-system)" >&2; exit 1; }
    if ! exists; then
      xml=$(mktemp)
      trap 'rm -f "$xml"' EXIT
      cat >"$xml" <<XML
<network>
  <name>$NAME</name>
  <bridge name='$BRIDGE' stp='off' delay='0'/>
  <dns enable='no'/>
  <ip address='$PREFIX.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='$PREFIX.10' end='$PREFIX.254'/>
    </dhcp>
  </ip>
</network>
XML
      "${VIRSH[@]}" net-define "$xml" >/dev/null
      echo "rootlab: defined the isolated libvirt network $NAME ($PREFIX.0/24, no DNS, no route out)"
    fi
    active || { "${VIRSH[@]}" net-start "$NAME" >/dev/null && echo "rootlab: started the libvirt network $NAME"; }
    ;;
  remove)
    if exists; then
      if active; then "${VIRSH[@]}" net-destroy "$NAME" >/dev/null; fi
      "${VIRSH[@]}" net-undefine "$NAME" >/dev/null
      echo "rootlab: removed the libvirt network $NAME"
    fi
    ;;
  *)
    echo "usage: $0 ensure|remove" >&2
    exit 2
    ;;
esac
