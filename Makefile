# xuexi: `make demo` to see it run, `make test` to check it all.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
VENV := $(CURDIR)/.venv
XUEXI := $(VENV)/bin/xuexi
PYTEST := $(VENV)/bin/pytest
DEMO_DB := sqlite:///$(CURDIR)/var/demo.sqlite3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/xuexi
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers (pytest-xdist) on the two cores of the CI machines, the browser tests all on one of them
# (tests/browser/conftest.py); PYTEST_WORKERS= runs in one process.
PYTEST_WORKERS ?= -n 2 --dist loadgroup

.PHONY: help install demo serve test test-sqlite test-postgres lint bench clean

help:
	@echo "make demo   安装依赖、生成演示省份并启动平台 (http://$(HOST):$(PORT)/)"
	@echo "make test   运行全部测试（SQLite 与 PostgreSQL，含浏览器测试）"
	@echo "make install | lint | bench | clean"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --quiet
	@test -x $(XUEXI) && echo "已安装：$(XUEXI)"

demo: install
	XUEXI_ENV=demo DATABASE_URL=$(DEMO_DB) $(XUEXI) demo --reset
	@echo
	@echo "平台地址：http://$(HOST):$(PORT)/"
	XUEXI_ENV=demo DATABASE_URL=$(DEMO_DB) $(XUEXI) serve --host $(HOST) --port $(PORT)

serve: install
	$(XUEXI) serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy src

test: install lint test-sqlite test-postgres

test-sqlite:
	XUEXI_ENV=test DATABASE_URL= $(PYTEST) -q $(PYTEST_WORKERS)

test-postgres:
	@$(VENV)/bin/python -m xuexi.dbcheck "$(TEST_DATABASE_URL)"
	XUEXI_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST) -q $(PYTEST_WORKERS)

bench: install
	$(VENV)/bin/python bench/demo_scale.py

clean:
	rm -rf var .venv .tools
