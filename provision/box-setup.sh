#!/usr/bin/env bash
# Turns a freshly debootstrapped Debian 12 tree into the rootlab lab box. Run by `rootlab vm box build`
# inside the image, through chroot, with /dev, /dev/pts, /proc and /sys bound and a policy-rc.d that stops
# daemons from starting. Facts behind each step: ../../shared/design/VM-NOTES.md ("Building the box").
#
# Arguments: DISK (the loop device the image is on, for grub-install), then the Debian packages to install.
# Prints "box-setup: STEP" lines: the builder shows them as progress.
set -Eeuo pipefail
trap 'echo "box-setup: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

DISK=$1
shift
step() { printf 'box-setup: %s\n' "$*"; }
apt_q() { apt-get -q -o Dpkg::Use-Pty=0 -o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false "$@"; }

step "apt: security and point-release updates"
apt_q update
apt_q -y dist-upgrade

step "kernel, initramfs and GRUB"
echo "grub-pc grub-pc/install_devices multiselect" | debconf-set-selections
echo "grub-pc grub-pc/install_devices_empty boolean true" | debconf-set-selections
apt_q -y install linux-image-cloud-amd64 initramfs-tools grub-pc systemd-timesyncd-
step "lab packages: $*"
apt_q -y install "$@"
apt_q -y purge ifupdown isc-dhcp-client isc-dhcp-common 2>/dev/null || true
# Labs start their own haproxy in a namespace; the package's enabled service would idle on the VM's CPU.
systemctl disable haproxy.service
apt_q -y autoremove --purge
apt_q clean
rm -rf /var/lib/apt/lists/*

step "boot loader"
cat >/etc/default/grub <<'EOF'
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200n8 net.ifnames=0 biosdevname=0"
GRUB_TERMINAL="console serial"
GRUB_SERIAL_COMMAND="serial --speed=115200"
GRUB_DISABLE_OS_PROBER=true
EOF
grub-install --target=i386-pc --modules="part_msdos ext2" "$DISK"
update-grub
# Without udev, update-grub names the loop device (root=/dev/loopNp1): the VM's disk is found by UUID instead.
uuid=$(findmnt -no UUID /)
sed -i -E "s#root=/dev/loop[0-9]+p1#root=UUID=$uuid#g" /boot/grub/grub.cfg
grep -q "root=UUID=$uuid" /boot/grub/grub.cfg
printf 'UUID=%s / ext4 errors=remount-ro,discard 0 1\n' "$uuid" >/etc/fstab

step "identity: host name, machine id, SSH host keys made at first boot"
echo rootlab >/etc/hostname
printf '127.0.0.1 localhost\n127.0.1.1 rootlab\n::1 localhost ip6-localhost ip6-loopback\n' >/etc/hosts
: >/etc/machine-id
rm -f /var/lib/dbus/machine-id
systemctl mask systemd-firstboot.service
rm -f /etc/ssh/ssh_host_*
# ed25519 and ecdsa only: an RSA key costs 4-14 s under software emulation.
sed -i -E '/^#?HostKey /d' /etc/ssh/sshd_config
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\nUseDNS no\n' >/etc/ssh/sshd_config.d/rootlab.conf
cat >/etc/systemd/system/rootlab-ssh-hostkeys.service <<'EOF'
[Unit]
Description=Generate this VM's own SSH host keys (ed25519, ecdsa) on first boot
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
ExecStart=/usr/bin/ssh-keygen -q -t ecdsa -N "" -f /etc/ssh/ssh_host_ecdsa_key

[Install]
WantedBy=ssh.service
EOF
systemctl enable rootlab-ssh-hostkeys.service ssh.service

step "network: DHCP on eth0, no DNS, nothing that calls out"
cat >/etc/systemd/network/10-eth0.network <<'EOF'
[Match]
Name=eth0

[Network]
DHCP=ipv4
IPv6AcceptRA=no
LinkLocalAddressing=no

[DHCPv4]
UseDNS=no
UseNTP=no
EOF
systemctl enable systemd-networkd.service
# networkd manages eth0 and nothing else: its stock container networks would bring up, address and masquerade
# (nft table io.systemd.nat) the ve-/vb-/vz- links that nspawn labs create and examine by hand.
for f in 80-container-host0 80-container-vb 80-container-ve 80-container-vz; do
  ln -sfn /dev/null "/etc/systemd/network/$f.network"
done
systemctl mask systemd-networkd-wait-online.service
echo "# rootlab lab VM: no DNS (the VM's network reaches this host only)" >/etc/resolv.conf
for unit in apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service man-db.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer systemd-timesyncd.service; do
  systemctl mask "$unit"
done

step "vagrant user (Vagrant's insecure key, replaced on the first vagrant up)"
id vagrant >/dev/null 2>&1 || useradd --create-home --shell /bin/bash vagrant
echo vagrant:vagrant | chpasswd
install -d -m 0700 -o vagrant -g vagrant /home/vagrant/.ssh
install -m 0600 -o vagrant -g vagrant /tmp/rootlab-box/vagrant.pub /home/vagrant/.ssh/authorized_keys
echo "vagrant ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/vagrant
chmod 0440 /etc/sudoers.d/vagrant
visudo -cf /etc/sudoers.d/vagrant

step "Node.js, rootlab's dependencies, fixtures, disposable marker"
install -m 0755 /tmp/rootlab-box/node /usr/local/bin/node
cp -a /tmp/rootlab-box/npm /usr/local/lib/npm
ln -sfn /usr/local/lib/npm/bin/npm-cli.js /usr/local/bin/npm
ln -sfn /usr/local/lib/npm/bin/npx-cli.js /usr/local/bin/npx
node --version
install -d -m 0755 /opt/rootlab /var/lib/rootlab /var/lib/rootlab/reports /etc/rootlab
cp -a /tmp/rootlab-box/node_modules /opt/rootlab/node_modules
cp /tmp/rootlab-box/npm-ci.sha256 /var/lib/rootlab/npm-ci.sha256
if [[ -d /tmp/rootlab-box/cache ]]; then
  install -d -m 0755 /var/cache/rootlab
  cp -a /tmp/rootlab-box/cache/. /var/cache/rootlab/
fi
# The same text provision.sh writes, so the first provisioning finds it unchanged.
cat >/etc/rootlab/disposable <<'EOF'
# This machine is a disposable rootlab lab VM, set up by rootlab's provision/provision.sh.
# rootlab runs labs as root only on machines marked like this one: labs create namespaces, mounts, network
# links and firewall rules. If a lab leaves the VM in a bad state, throw it away: vagrant destroy -f && vagrant up
EOF

step "record what is in the box"
{
  printf 'debian %s\n' "$(cat /etc/debian_version)"
  printf 'kernel %s\n' "$(ls /lib/modules)"
  printf 'node %s\n' "$(node --version)"
  dpkg-query -W -f='${Package} ${Version}\n'
} >/etc/rootlab/box-manifest.txt
rm -f /etc/ssh/ssh_host_*
