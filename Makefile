# Two commands on a fresh Debian/Ubuntu machine:
#   make demo   installs what is missing, then converts the sample article into out/
#   make test   the same set-up, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := espeak-ng libespeak-ng1 ffmpeg lame fonts-dejavu-core
# Only the tests need these: a real browser for the listening page, a real podcast client for the feed.
TEST_APT_PACKAGES := chromium gpodder
STAMP := $(VENV)/.installed-stamp
SAMPLE := examples/harbor-bridge.txt

.PHONY: demo test lint soak system venv bench clean

demo: system venv
	$(BIN)/audio-edition convert $(SAMPLE) --out out
	@echo "The audio edition is in out/ (MP3, WebVTT and SRT captions, chapters JSON, transcript),"
	@echo "with out/feed.xml and out/index.html. Listen: $(BIN)/audio-edition serve, then open http://127.0.0.1:8000/"

test: system venv
	@$(MAKE) --no-print-directory system APT_PACKAGES="$(TEST_APT_PACKAGES)"
	$(BIN)/python -m pytest -q

# 200 random kills over publishing into a folder of 50 episodes (minutes; not part of make test).
soak: system venv
	$(BIN)/python -m pytest -q -m soak tests/test_publish_faults.py

# Style and types: ruff (rules and layout, from pyproject.toml) and mypy over the package.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# System packages: installed only when missing, with sudo when not root.
system:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "Installing:$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test,piper,dask,lint,s3,hibari]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# Benchmarks (figures, not tests): each beside a reference run in the same process.
bench: system venv
	$(BIN)/python bench/speech.py
	$(BIN)/python bench/convert.py
	$(BIN)/python bench/voices.py
	$(BIN)/python bench/reader.py   # the read stage on real pages (needs the corpus: bench/reader_corpus.py)
