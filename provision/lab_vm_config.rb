# Reads and checks lab-vm.yml, the plain settings file beside the Vagrantfile.
#
# Plain Ruby (stdlib YAML only) so it works with Debian 12's Vagrant 2.3.4 (Ruby 3.1, Psych 4) and with
# HashiCorp's 2.4.x alike. It never raises a Ruby error at a person: every problem becomes one line of
# RootlabVMConfig::Invalid's message, and all problems are reported at once.
require "yaml"

module RootlabVMConfig
  # Raised with a message ready to show; the Vagrantfile turns it into a Vagrant error (no backtrace).
  class Invalid < StandardError; end

  DEFAULT_BOX = "debian/bookworm64".freeze
  # The pin is only applied to the default box: another box has its own version numbers.
  DEFAULT_BOX_VERSION = "12.20250126.1".freeze
  PROVIDERS = %w[virtualbox libvirt].freeze
  SYNC_TYPES = %w[rsync virtualbox nfs 9p virtiofs disabled].freeze
  # Which provider each provider-specific share type needs.
  SYNC_PROVIDER = { "virtualbox" => "virtualbox", "9p" => "libvirt", "virtiofs" => "libvirt" }.freeze
  MIN_MEMORY = 1024 # MiB: npm ci plus a lab with a Debian rootfs does not fit in less
  MIN_NODE_MAJOR = 20 # rootlab's engines.node

  DEFAULTS = {
    "box" => DEFAULT_BOX,
    "box_version" => nil, # filled in by resolve_box_version
    "provider" => nil,    # nil = let Vagrant pick the first usable one (virtualbox, then libvirt)
    "cpus" => 2,
    "memory" => 2048,
    "sync_type" => "rsync",
    "forwarded_ports" => [],
    "hostname" => "rootlab",
    "gui" => false,
    "node_major" => 20,
    "box_url" => nil,      # a .box file or URL to add the box from when Vagrant does not have it yet
    "box_checksum" => nil, # its sha256 (from SHA256SUMS); required with an http(s) box_url
    "libvirt_driver" => "auto", # auto: KVM when `rootlab vm` found it works here, else QEMU emulation (TCG)
  }.freeze
  LIBVIRT_DRIVERS = %w[auto kvm qemu].freeze
  SHA256 = /\A[0-9a-f]{64}\z/
  KNOWN_KEYS = DEFAULTS.keys.freeze
  PORT_KEYS = %w[guest host].freeze
  HOSTNAME = /\A(?=.{1,253}\z)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\z/i

  module_function

  # path: the settings file; env_provider: VAGRANT_DEFAULT_PROVIDER as set before this file was read.
  # Returns a Hash with every key of DEFAULTS filled in.
  def load(path, env_provider: nil)
    raw = read_yaml(path)
    lines = key_lines(path)
    problems = duplicate_key_problems(lines)
    unknown = raw.keys - KNOWN_KEYS
    problems.concat(unknown.map { |k| unknown_key_message(k) })
    cfg = DEFAULTS.merge(raw.slice(*KNOWN_KEYS).reject { |_, v| v.nil? })
    problems.concat(value_problems(cfg, raw))
    problems.concat(sync_problems(cfg, env_provider))
    unless problems.empty?
      raise Invalid, "invalid lab VM settings in #{path}:\n" + problems.map { |p| "  - #{where(p, lines)}#{p}" }.join("\n") +
                     "\nSee lab-vm.example.yml for every key and its default."
    end
    cfg["box_version"] = resolve_box_version(cfg, raw)
    cfg
  end

  def read_yaml(path)
    return {} unless File.exist?(path)
    data = YAML.safe_load(File.read(path), permitted_classes: [], aliases: false, filename: path)
    return {} if data.nil? # empty or comment-only file
    unless data.is_a?(Hash)
      hint = data.is_a?(String) && data.include?(":") ? " (missing space after ':'? write key: value)" : ""
      raise Invalid, "#{path}: the top level must be a mapping of key: value pairs, got #{yaml_kind(data)}#{hint}"
    end
    data.transform_keys(&:to_s)
  rescue Psych::SyntaxError => e
    raise Invalid, "#{path} is not valid YAML: #{e.message.sub(/\A\(.*?\): /, '')}\n" \
                   "Fix the file, or delete it to use the built-in defaults."
  rescue Psych::Exception => e # DisallowedClass (tags), BadAlias/AliasesNotEnabled (aliases)
    raise Invalid, "#{path}: only plain values are allowed (no tags, anchors or aliases): #{e.message}"
  end

  # Top-level key => the 1-based lines it is written on, from the YAML's syntax tree (aliases are not expanded
  # here, and read_yaml has already refused them). {} when the file is missing or not a mapping.
  def key_lines(path)
    return {} unless File.exist?(path)
    # Psych.parse gives false (not nil) for a file with no document (empty, only comments) on Vagrant's Ruby.
    doc = Psych.parse(File.read(path))
    root = doc.respond_to?(:root) ? doc.root : nil
    return {} unless root.is_a?(Psych::Nodes::Mapping)
    root.children.each_slice(2).each_with_object(Hash.new { |h, k| h[k] = [] }) do |(key, _), acc|
      acc[key.value.to_s] << key.start_line + 1 if key.is_a?(Psych::Nodes::Scalar)
    end
  end

  # YAML keeps the last of two equal keys without a word: in a settings file that is a slip to point at.
  def duplicate_key_problems(lines)
    lines.select { |_, at| at.length > 1 }.map do |key, at|
      "#{key} is given #{at.length} times (lines #{at.join(', ')}): keep one (YAML would silently use the last)"
    end
  end

  # "line N: " for a problem that starts with a key written on line N (or "unknown key K"), else "".
  def where(problem, lines)
    key = problem[/\A(?:unknown key )?([a-z_]+)/, 1]
    at = key && lines.key?(key) ? lines[key] : nil
    at ? "line #{at.first}: " : ""
  end

  def yaml_kind(value)
    case value
    when Array then "a list"
    when String then "a single string #{value.inspect}"
    else value.class.name
    end
  end

  def unknown_key_message(key)
    close = KNOWN_KEYS.min_by { |k| edit_distance(key, k) }
    hint = close && edit_distance(key, close) <= [2, key.length / 2].max ? " (did you mean #{close}?)" : ""
    "unknown key #{key}#{hint}; known keys: #{KNOWN_KEYS.join(', ')}"
  end

  # Levenshtein distance, for "did you mean".
  def edit_distance(a, b)
    prev = (0..b.length).to_a
    a.each_char.with_index(1) do |ca, i|
      cur = [i]
      b.each_char.with_index(1) do |cb, j|
        cur << [prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca == cb ? 0 : 1)].min
      end
      prev = cur
    end
    prev.last
  end

  def value_problems(cfg, raw)
    problems = []
    string = ->(key) { cfg[key].is_a?(String) && !cfg[key].strip.empty? }
    problems << "box must be a box name such as #{DEFAULT_BOX}, got #{raw['box'].inspect}" unless string.call("box")
    if raw.key?("box_version") && !raw["box_version"].nil? && !string.call("box_version")
      problems << "box_version must be a version or constraint in quotes, e.g. \"#{DEFAULT_BOX_VERSION}\" or \">= 0\", got #{raw['box_version'].inspect}"
    end
    if cfg["provider"] && !PROVIDERS.include?(cfg["provider"])
      problems << "provider must be one of #{PROVIDERS.join('|')} (or left out to let Vagrant pick), got #{cfg['provider'].inspect}"
    end
    problems << "cpus must be a whole number from 1 to 64, got #{cfg['cpus'].inspect}" unless int_in?(cfg["cpus"], 1, 64)
    unless int_in?(cfg["memory"], MIN_MEMORY, 1_048_576)
      problems << "memory must be a whole number of MiB, at least #{MIN_MEMORY} and at most 1048576 (1 TiB), got #{cfg['memory'].inspect}"
    end
    unless SYNC_TYPES.include?(cfg["sync_type"])
      problems << "sync_type must be one of #{SYNC_TYPES.join('|')}, got #{cfg['sync_type'].inspect}"
    end
    problems.concat(port_problems(cfg["forwarded_ports"]))
    problems.concat(box_source_problems(cfg))
    unless LIBVIRT_DRIVERS.include?(cfg["libvirt_driver"])
      problems << "libvirt_driver must be one of #{LIBVIRT_DRIVERS.join('|')} (auto: KVM when it works here, else QEMU emulation), got #{cfg['libvirt_driver'].inspect}"
    end
    unless cfg["hostname"].is_a?(String) && HOSTNAME.match?(cfg["hostname"])
      problems << "hostname must be letters, digits, hyphens and dots (e.g. rootlab), got #{cfg['hostname'].inspect}"
    end
    problems << "gui must be true or false, got #{cfg['gui'].inspect}" unless [true, false].include?(cfg["gui"])
    unless int_in?(cfg["node_major"], MIN_NODE_MAJOR, 99)
      problems << "node_major must be a Node.js major version >= #{MIN_NODE_MAJOR} (rootlab needs it), got #{cfg['node_major'].inspect}"
    end
    problems
  end

  def int_in?(value, min, max)
    value.is_a?(Integer) && value >= min && value <= max
  end

  def port_problems(ports)
    return ["forwarded_ports must be a list of {guest: N, host: N}, got #{ports.inspect}"] unless ports.is_a?(Array)
    ports.each_with_index.flat_map do |entry, i|
      where = "forwarded_ports[#{i}]"
      next ["#{where} must be a mapping like {guest: 8080, host: 18080}, got #{entry.inspect}"] unless entry.is_a?(Hash)
      entry = entry.transform_keys(&:to_s)
      (entry.keys - PORT_KEYS).map { |k| "#{where}: unknown key #{k} (known: #{PORT_KEYS.join(', ')})" } +
        PORT_KEYS.reject { |k| int_in?(entry[k], 1, 65_535) }
                 .map { |k| "#{where}.#{k} must be a port number from 1 to 65535, got #{entry[k].nil? ? 'nothing' : entry[k].inspect}" }
    end
  end

  def box_source_problems(cfg)
    url = cfg["box_url"]
    sum = cfg["box_checksum"]
    problems = []
    if !url.nil? && !(url.is_a?(String) && !url.strip.empty?)
      problems << "box_url must be a .box file path or an http(s)/file URL, got #{url.inspect}"
    end
    if !sum.nil? && !(sum.is_a?(String) && SHA256.match?(sum))
      problems << "box_checksum must be the box file's sha256 (64 hex digits, as in SHA256SUMS), got #{sum.inspect}"
    end
    problems << "box_checksum is set but box_url is not: name the box file it belongs to" if url.nil? && !sum.nil?
    if url.is_a?(String) && url.match?(%r{\Ahttps?://}i) && sum.nil?
      problems << "box_url #{url} is downloaded: give its sha256 as box_checksum (from the SHA256SUMS beside it)"
    end
    problems
  end

  def sync_problems(cfg, env_provider)
    needed = SYNC_PROVIDER[cfg["sync_type"]]
    return [] unless needed
    provider = env_provider.to_s.empty? ? cfg["provider"] : env_provider
    return [] if provider == needed
    got = provider ? "provider is #{provider}" : "no provider is set"
    ["sync_type #{cfg['sync_type']} only works with provider #{needed} (#{got}); set provider: #{needed} or use sync_type: rsync"]
  end

  # The default pin belongs to the default box; another box is unpinned unless box_version is given.
  def resolve_box_version(cfg, raw)
    return raw["box_version"] if raw["box_version"].is_a?(String)
    cfg["box"] == DEFAULT_BOX ? DEFAULT_BOX_VERSION : nil
  end
end
