#!/usr/bin/env bash
# System packages plantasks needs; Python packages come from pyproject.toml.
#   install-system-deps.sh          what running needs: Tesseract (+ Vietnamese), poppler, LibreOffice (.doc)
#   install-system-deps.sh --test   also what the tests need: Chromium (review page), DejaVu fonts (OCR tests)
# Exits non-zero when a package is missing and cannot be installed (no root, apt-get failed), so CI
# stops instead of running with OCR, .doc or browser tests untested.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr-vie)
tesseract --list-langs 2>/dev/null | grep -qx osd || need+=(tesseract-ocr-osd)  # pages scanned turned
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "installing system packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "ERROR: cannot install ${need[*]} without root." >&2
  echo "  Ask an administrator to run: apt-get install -y --no-install-recommends ${need[*]}" >&2
  echo "  Until then text, DOCX, HTML and text-PDF plans work; scanned PDFs and images need Tesseract," >&2
  echo "  .doc files need LibreOffice." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
  echo "ERROR: apt-get could not install ${need[*]}." >&2
  exit 1
fi
