#!/usr/bin/env bash
# Installs, from Debian's packages, the programs the tests drive for real when they are missing:
#   chromium         the browser tests (launched as /usr/bin/chromium; no Playwright browser download)
#   nginx-light      the reverse proxy in front of several app servers (deploy/, tests/deploy/)
#   libreoffice-calc reads back the xlsx workbook and the CSV as a spreadsheet user would
#   poppler-utils    pdftoppm: renders PDF pages to PNG to look at them (walk-throughs, docs); pdfinfo and
#                    pdffonts: the PDFs are tagged and list only the fonts they draw (tests/render/test_tagged_pdf.py)
#   libpangoft2      Pango, which WeasyPrint (the PDFs, alignment/render/pdf_kit.py) lays text out with
#   openssl          makes the certificate of the loopback SMTP server the TLS tests talk to (tests/smtp_helpers.py)
# pgbench comes with the PostgreSQL server on the project's machines (perf/bench_submit.py).
set -euo pipefail
wanted=()
command -v chromium >/dev/null 2>&1 || wanted+=(chromium)
command -v nginx >/dev/null 2>&1 || wanted+=(nginx-light)
command -v libreoffice >/dev/null 2>&1 || wanted+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || wanted+=(poppler-utils)
command -v pdfinfo >/dev/null 2>&1 || wanted+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || wanted+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v openssl >/dev/null 2>&1 || wanted+=(openssl)
[ ${#wanted[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing Debian's ${wanted[*]} for the tests..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
else
  echo "${wanted[*]} missing and apt-get is not available: those tests will skip (and fail under CI=true)."
fi
