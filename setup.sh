#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for the Partner Atlas: system tools, a virtual
# environment with the project's dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: WeasyPrint's Pango, the PDF tools the tests use, the CJK fallback font and
# fontconfig's fc-list (the glyph check finds the CJK font with it); ICU and what PyICU is built with
# (the collation that sorts lists in the reader's alphabet: PyPI has no wheel of it for Linux);
# chromium and its driver for the live preview's tests and benchmark (selenium drives them; no
# browser is downloaded).
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 qpdf poppler-utils ghostscript fonts-noto-cjk
          fontconfig libicu-dev pkg-config g++ python3-dev chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
# The translation catalogues are compiled from their .po files (never committed); builds also
# recompile a missing or stale one, so this only saves the first build the work.
.venv/bin/python -c 'from reports.i18n import compile_catalogues; print("compiled catalogues:", ", ".join(compile_catalogues()) or "none")'
