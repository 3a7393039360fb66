# libvirt settings of the lab VM, shared by the Vagrantfile: the driver (KVM or QEMU emulation) and the VM's
# isolated management network. Plain Ruby; no Vagrant internals beyond long-standing vagrant-libvirt options.
module RootlabLibvirt
  # The VM's only network: isolated (no <forward>: no route off this machine), DHCP on, DNS off. Defined and
  # started by provision/libvirt-network.sh before `vagrant up` (vagrant-libvirt cannot turn DNS off itself).
  NETWORK_NAME = "rootlab-vm".freeze
  NETWORK_ADDRESS = "10.249.117.0/24".freeze

  module_function

  # setting: auto|kvm|qemu; probe_file: written by `rootlab vm` after trying KVM ("kvm" or "qemu" + reason).
  def driver(setting, probe_file)
    return setting unless setting == "auto"
    File.read(probe_file).split.first == "kvm" ? "kvm" : "qemu"
  rescue SystemCallError
    "qemu" # never probed here: emulation always works; `rootlab vm doctor` probes KVM
  end

  def configure(lv, driver)
    lv.uri = ENV["ROOTLAB_LIBVIRT_URI"].to_s.empty? ? "qemu:///system" : ENV["ROOTLAB_LIBVIRT_URI"]
    lv.driver = driver
    if driver == "qemu"
      # TCG cannot emulate the host's CPU model; qemu64 is what it runs best.
      lv.cpu_mode = "custom"
      lv.cpu_model = "qemu64"
    end
    lv.graphics_type = "none"
    lv.video_type = "none"
    lv.serial :type => "file", :source => { :path => "/var/log/libvirt/qemu/rootlab-vm-serial.log" }
    lv.management_network_name = NETWORK_NAME
    lv.management_network_address = NETWORK_ADDRESS
    lv.management_network_mode = "none"
    lv.management_network_guest_ipv6 = "no"
    lv.management_network_keep = true # `vagrant destroy` must not undefine it; `rootlab vm destroy` does
  end

  def ensure_network_trigger(config)
    script = File.join(__dir__, "libvirt-network.sh")
    config.trigger.before :up, :reload, :provision do |t|
      t.name = "rootlab: isolated libvirt network #{NETWORK_NAME}"
      t.run = { inline: "#{script} ensure" }
    end
  end
end
