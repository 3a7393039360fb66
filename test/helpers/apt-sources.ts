// apt's sources as Debian 12 writes them (deb822, /etc/apt/sources.list.d/debian.sources): the bookworm archive
// and the security archive. Shared by the tests of the two mirror pickers (systemd-image fixture, lab box).
export const DEB822_BOOKWORM = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`;
