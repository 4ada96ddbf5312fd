#!/bin/sh
# Install containr's build and test dependencies on Debian 12 (as root).
set -e
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" != 0 ]; then echo "install-deps: run as root (sudo $0)" >&2; exit 1; fi
# One 'apt-get update' per run is enough; skip it when the lists are fresh (< 1 day).
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
	apt-get -o DPkg::Lock::Timeout=600 update -q
fi
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
	build-essential pkg-config git ca-certificates \
	libcurl4-openssl-dev libcjson-dev libarchive-dev libreadline-dev libseccomp-dev \
	libcap-dev libmnl-dev libnftables-dev libncurses-dev libssl-dev libzstd-dev libcriterion-dev \
	busybox-static tmux iproute2 nftables procps util-linux python3 curl zsh fish uidmap \
	clang-format cppcheck musl-tools mmdebstrap
