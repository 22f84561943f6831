# Cabine: `make demo` and `make test` set up everything they need on a fresh Debian 12.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# System packages: PC/SC (pcscd, the vpcd virtual reader, pyscard's build), CUPS with a PDF
# queue, Chromium for the doctor's browser in tests, Xvfb and fonts for screens, D-Bus for
# the simulated BlueZ, poppler to read PDFs back, espeak-ng for spoken guidance, tzdata for
# the cabins' and the portal's time zones.
APT_PACKAGES := \
	python3-venv python3-dev gcc make pkg-config swig \
	pcscd vsmartcard-vpcd libpcsclite-dev pcsc-tools \
	cups cups-client cups-bsd printer-driver-cups-pdf poppler-utils \
	chromium chromium-driver \
	xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 \
	libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 \
	libfontconfig1 fonts-dejavu-core fonts-noto-core qt6-l10n-tools \
	dbus dbus-daemon libdbus-1-dev libglib2.0-dev \
	socat iproute2 espeak-ng systemd coturn zbar-tools \
	cage xwayland udev libwayland-cursor0 libwayland-egl1 \
	kannel kannel-extras postgresql tzdata prometheus libasound2-data \
	redis-server haproxy nftables glewlwyd

.PHONY: setup system-packages venv translations axe demo test lint typecheck contracts pytest bench clean

setup: system-packages venv translations axe

# axe-core, the accessibility engine the browser tests inject into the portal's pages, from
# the npm registry (Debian has no package of it); npm itself from Debian when missing.
AXE_VERSION := 4.14.1
AXE_DIR := .cache/axe
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
axe: $(AXE_JS)
$(AXE_JS):
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends npm
	npm install --prefix $(AXE_DIR) --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	test -f $@

# The screens' catalogues: ui/i18n/cabine_<lang>.ts compiled to .qm (committed; a test checks
# they match their sources). To add strings: pylupdate6 --no-obsolete <ui files> -ts <ts>.
LRELEASE ?= /usr/lib/qt6/bin/lrelease
translations: system-packages
	$(LRELEASE) -silent ui/i18n/*.ts

# The whole list is installed every time, after `apt-get update`: that upgrades what is already
# there to the version a fresh machine gets, so a green run here means a green new machine (a
# CUPS security update once broke printing only on new machines). SKIP_APT=1 skips it offline.
system-packages:
ifeq ($(SKIP_APT),1)
	@echo "system packages: skipped (SKIP_APT=1)"
else
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $(APT_PACKAGES)
endif

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/kiosk demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

contracts: venv
	$(BIN)/lint-imports

pytest: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest --cov --cov-report=term

test: setup lint typecheck contracts pytest

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache build *.egg-info
