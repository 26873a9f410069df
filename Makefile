# make demo: audit the bundled example; make test: build and run every test. Both set up their own
# dependencies first (scripts/setup-deps.sh is idempotent and quick once done).
BUILD ?= build
JOBS ?= 2

.PHONY: deps build test demo clean

deps:
	@scripts/setup-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The demo's audit exits 1 when checks fail, which is its finding, not an error of the demo.
demo: build
	@$(BUILD)/iaf audit examples/npk --out out/npk; code=$$?; [ $$code -le 1 ] || exit $$code

clean:
	rm -rf $(BUILD) out
