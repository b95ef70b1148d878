#!/bin/sh
# Installs headless Chromium if missing and runs the browser check of the HTML export:
# the export is rendered, console and Content-Security-Policy errors fail the test, and a
# screenshot is written to $CWARCHIVE_SCREENSHOT (default /tmp/cwarchive-export.png).
set -eu
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    $SUDO apt-get install -y chromium
fi
export CWARCHIVE_SCREENSHOT="${CWARCHIVE_SCREENSHOT:-/tmp/cwarchive-export.png}"
swift test --filter ExportBrowserTests
echo "screenshot: $CWARCHIVE_SCREENSHOT"
