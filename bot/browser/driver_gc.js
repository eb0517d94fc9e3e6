// Loaded into Playwright's driver (Node.js) before it starts, through NODE_OPTIONS=--require:
// V8 flags that Node refuses in NODE_OPTIONS itself can still be set from inside the process.
//
// --optimize-for-size: collect the old generation early instead of letting garbage pile up.
// The driver's live heap is ~30 MB; by default V8 let it reach ~80 MB between collections,
// and with two workers the driver peaked at ~180 MB PSS. With it: ~125 MB, for ~2-3 ms more
// driver CPU per record (benchmarks/README.md).
//
// Set once the driver's own modules have loaded (the next turn of the event loop), not
// before: loading them under the flag took ~0.08 s longer, on every start. V8 reads the flag
// at each collection, so the heap is held down all the same (tests/unit/engine).
setImmediate(() => require("v8").setFlagsFromString("--optimize-for-size"));
