#!/usr/bin/env bash
# Installs the Debian packages Holoscope's build and tests need, when they are missing:
# emscripten (the Lua fixture) and chromium (end-to-end tests). Needs root or sudo.
set -euo pipefail
need=()
command -v emcc >/dev/null 2>&1 || need+=(emscripten)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
[ ${#need[@]} -eq 0 ] && exit 0
echo "holoscope: installing Debian packages: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
