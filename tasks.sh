#!/usr/bin/env bash
# Everyday tasks, each installing what it needs first (Debian/Ubuntu):
#   bash tasks.sh build          build every profile in profiles/ to PDF under build/
#   bash tasks.sh test [ARGS]    run the whole test suite (ARGS go to pytest)
#   bash tasks.sh check          lint and format (ruff), types (mypy), import layering (import-linter)
#   bash tasks.sh update-golden  rewrite tests/golden/ from the current templates
#   bash tasks.sh docs           rewrite the design-options table in docs/customizing.md from the family.yaml files
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: TeX Live with moderncv and its fonts, xelatex/lualatex, Chinese support,
# Noto CJK fonts, Noto fonts for the other scripts (Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, …),
# TeX Gyre (style banking), EB Garamond (style fancy), Symbola (emoji), poppler (pdftotext/pdftoppm),
# Chromium (the tests open the HTML export in a headless browser), hyphenation patterns for the
# languages texcv has words for (texlive-lang-*).
# The same list as src/texcv/packages.py (tests/test_packages.py checks), plus base TeX and python3-venv.
PACKAGES=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
          texlive-fonts-extra texlive-xetex texlive-luatex texlive-lang-chinese lmodern tex-gyre
          fonts-noto-cjk fonts-noto-core fonts-ebgaramond-extra fonts-symbola poppler-utils chromium python3-venv
          texlive-lang-german texlive-lang-french texlive-lang-spanish texlive-lang-italian
          texlive-lang-portuguese texlive-lang-polish texlive-lang-czechslovak texlive-lang-european
          texlive-lang-cyrillic texlive-lang-greek texlive-lang-other)

install_system() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "tasks.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python() {
  # A project venv, reinstalled only when pyproject.toml changes.
  local stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
  [ -f "$stamp" ] && return
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*; touch "$stamp"
}

task="${1:-}"; shift || true
case "$task" in
  build)
    install_system; install_python
    .venv/bin/texcv build profiles/*.yaml -o build ;;
  test)
    install_system; install_python
    .venv/bin/python -m pytest "$@" ;;
  check)
    install_python
    .venv/bin/ruff check src tests bench
    .venv/bin/ruff format --check src tests bench
    .venv/bin/mypy
    .venv/bin/lint-imports ;;
  update-golden)
    install_python
    .venv/bin/python -m pytest tests/test_golden.py --update-golden ;;
  docs)
    install_python
    .venv/bin/python -m texcv.optionsdoc docs/customizing.md ;;
  *)
    echo "usage: bash tasks.sh build | test [pytest args] | check | update-golden | docs" >&2; exit 2 ;;
esac
