# The two commands of README.md: `make sample` and `make test`.
PYTHON := .venv/bin/python

.PHONY: setup sample test clean

setup:
	./setup.sh

sample: setup
	$(PYTHON) build.py check
	$(PYTHON) build.py country japan -o out/japan.pdf
	$(PYTHON) build.py country IN -o out/india.pdf
	$(PYTHON) build.py pack data/packs/tokyo-delegation-2023.yaml -o out/pack.pdf
	$(PYTHON) build.py handout data/events/security-dialogue-2023.yaml -o out/handout.pdf
	$(PYTHON) build.py handout data/events/security-dialogue-2023.yaml --booklet -o out/booklet.pdf
	$(PYTHON) build.py region asia-pacific -o out/asia-pacific.pdf
	$(PYTHON) build.py atlas -o out/atlas.pdf
	$(PYTHON) build.py verify archive/2022
	$(PYTHON) build.py diff 2022 2023 -o out/diff.pdf

test: setup
	$(PYTHON) -m pytest -q -n 2 --dist loadfile

clean:
	rm -rf out
