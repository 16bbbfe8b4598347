#!/usr/bin/env bash
# System packages the OCR and browser-test paths need; Python packages come from pyproject.toml.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr-vie)
tesseract --list-langs 2>/dev/null | grep -qx osd || need+=(tesseract-ocr-osd)  # pages scanned turned
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

echo "installing system packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "WARNING: cannot install ${need[*]} without root." >&2
  echo "  Ask an administrator to run: apt-get install -y ${need[*]}" >&2
  echo "  Text, DOCX and text-PDF plans still work; scanned PDFs and images need Tesseract." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "WARNING: apt-get could not install ${need[*]}; OCR or browser tests will be skipped with a message." >&2
exit 0
