#!/usr/bin/env bash
# Installs Debian's LibreOffice Writer (no GUI) and the Liberation fonts (Times New Roman's
# metrics), with which the tests convert Word reports to PDF and read them back, where this
# machine allows it. Without them those tests are skipped with a message saying why.
# Never fails: `make setup` goes on either way.
set -u
if command -v soffice >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/liberation2 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's libreoffice-writer-nogui and fonts-liberation2 for the Word report tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  if apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-liberation2 \
      >/dev/null 2>&1; then
    echo "LibreOffice installed: $(soffice --version 2>/dev/null | head -1)"
    exit 0
  fi
fi
echo "Note: LibreOffice (soffice) or the Liberation fonts are not installed and could not be" \
     "installed here (root and apt-get are needed); the tests that convert Word reports to PDF" \
     "will be skipped (install Debian's 'libreoffice-writer-nogui' and 'fonts-liberation2')."
exit 0
