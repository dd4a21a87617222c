#!/bin/sh
# npm's `pretest`: the browser tests (test/ui) drive Debian's chromium, and playwright-core
# downloads no browser of its own. On a fresh machine, as root with apt-get, it installs the
# package; anywhere else it says what to do. CHROMIUM_PATH names another build.
set -eu
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ -z "${CHROMIUM_PATH:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "npm test: the browser tests need chromium; installing Debian's package (apt-get install chromium)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "npm test: the browser tests need a chromium at $browser: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH to one" >&2
exit 1
